-- The expert pool (アクティブリスト, seed 001 §2.3–2.4): the programme's regions,
-- the support menus 0–7, the skill evaluation of the skill survey (§2.4.2(7)),
-- the pool entry a survey answer gives, the survey service's export read back,
-- the pool's search and the ranking of candidate experts for a company. The
-- engine stores and hands over; what counts and how is decided here.
local skills = require "survey_skills"
local survey = require "survey"
local dates = require "dates"

local M = {}

-- --- Regions -----------------------------------------------------------------

-- The programme's regions are those of its consultation sessions (大阪, 名古屋,
-- 埼玉, each with the chamber of commerce that co-hosts it); a company that did
-- not come through a session belongs to the region of its prefecture. Which
-- prefectures a region takes in is the secretariat's decision: these are the
-- chambers' neighbourhoods.
M.regions = {
  { name = "大阪", chamber = "大阪商工会議所",
    prefectures = { "大阪府", "京都府", "兵庫県", "奈良県", "和歌山県", "滋賀県" } },
  { name = "名古屋", chamber = "名古屋商工会議所",
    prefectures = { "愛知県", "岐阜県", "三重県", "静岡県" } },
  { name = "埼玉", chamber = "さいたま商工会議所",
    prefectures = { "埼玉県", "東京都", "茨城県", "栃木県", "群馬県", "千葉県", "神奈川県" } },
}

local function region_named(name)
  for _, r in ipairs(M.regions) do
    if r.name == name then return r end
  end
end

local function contains(list, x)
  for _, v in ipairs(list or {}) do
    if v == x then return true end
  end
  return false
end

-- The programme region of a company: the one it came through (`region`), or
-- its prefecture's; nil when neither is known.
function M.region_of(company)
  if company.region and region_named(company.region) then return company.region end
  for _, r in ipairs(M.regions) do
    if contains(r.prefectures, company.prefecture) then return r.name end
  end
  return nil
end

-- Whether an expert who lists `served` (prefectures, programme regions or
-- both, as the skill survey's 問9 or `expert edit --regions` give them)
-- serves `company`, and the words that say so.
function M.serves(served, company)
  local region = M.region_of(company)
  local pref = company.prefecture
  if pref and contains(served, pref) then return true, pref .. "を担当" end
  if region and contains(served, region) then return true, region .. "地域を担当" end
  if region and not pref then
    -- a region asked for as such: any of its prefectures will do
    for _, p in ipairs(region_named(region).prefectures) do
      if contains(served, p) then return true, region .. "地域（" .. p .. "）を担当" end
    end
  end
  if not region and not pref then return false, "企業の所在地が未登録" end
  local where = pref and region and (pref .. "（" .. region .. "地域）") or pref or (region .. "地域")
  return false, where .. "は担当外"
end

-- --- Support menus and the skill evaluation ----------------------------------

-- The support menus of the list (図表 2-105) and the skill areas behind each:
-- the report states that S1 stands behind menus 0 and 1 (図表 2-111); areas S2
-- … S6 carry the titles of menus 2 … 6 and stand behind those. Menu 7 (システム
-- 監査) has no area in the survey, so no expert is marked for it.
M.menus = {
  { no = 0, title = "サイバーセキュリティ対策戦略の立案（初めてのサイバーセキュリティ対策）", areas = { "S1" } },
  { no = 1, title = "サイバーセキュリティ対策の方針策定と管理体制づくり", areas = { "S1" } },
  { no = 2, title = "セキュリティリスクの調査", areas = { "S2" } },
  { no = 3, title = "サイバーセキュリティ対策の実践と運用の強化", areas = { "S3" } },
  { no = 4, title = "サイバー攻撃の検知、監視、検知後の運用策定", areas = { "S4" } },
  { no = 5, title = "セキュリティインシデント発生時の対応", areas = { "S5" } },
  { no = 6, title = "セキュリティインシデントからの復旧支援", areas = { "S6" } },
  { no = 7, title = "システム監査", areas = {} },
}

-- The menu under which the list puts each of the five guidance themes (the
-- entries 図表 2-105 marks as IPA's tools: 規程の作成・改訂 under 1, 情報資産の
-- 洗い出しとリスク分析 and クラウドサービスの安全利用 under 2, 従業員向け
-- セキュリティ教育 under 3, インシデント対応手順書の作成 under 5).
M.theme_menu = { policy = 1, assets = 2, cloud = 2, training = 3, incident = 5 }

-- 評点 of a sub-item by its number of questions (§2.4.2(7) Step 1).
M.points = { 3, 5, 7, 10, 13 }

-- The skill questions of each sub-item, in the form's order.
local by_item = {}
for _, part in ipairs(skills.form.parts) do
  for _, q in ipairs(part.questions) do
    if q.skill then
      by_item[q.skill] = by_item[q.skill] or {}
      table.insert(by_item[q.skill], q)
    end
  end
end

local mark_rank = { ["◎"] = 2, ["○"] = 1, [""] = 0 }

-- The evaluation of one expert's answers (question id → "0" … "3"): per area
-- its sub-items { id, title, questions, sum, points, reached } (reached when
-- the sum is at least the 評点, as 図表 2-109/2-110 count it) and its mark: ◎
-- when every sub-item is reached, ○ when exactly one is not, "" otherwise.
-- An area of one sub-item is ◎ or nothing: "all but one" would otherwise mark
-- an expert who reached none of it. Per menu the best mark of its areas.
-- `answered` is false when no skill question was answered (スキル無回答).
function M.evaluate(answers)
  answers = answers or {}
  local out = { areas = {}, menus = {}, answered = false }
  local area_mark = {}
  for _, area in ipairs(skills.areas) do
    local items, missed = {}, 0
    for _, it in ipairs(area.items) do
      local qs = by_item[it.id] or {}
      local sum = 0
      for _, q in ipairs(qs) do
        local v = tonumber(answers[q.id])
        if v then sum = sum + v; out.answered = true end
      end
      local points = M.points[#qs]
      local reached = points ~= nil and sum >= points
      if not reached then missed = missed + 1 end
      items[#items + 1] = { id = it.id, title = it.title, questions = #qs, sum = sum,
                            points = points, reached = reached }
    end
    local mark = ""
    if missed == 0 then
      mark = "◎"
    elseif missed == 1 and #items > 1 then
      mark = "○"
    end
    area_mark[area.id] = mark
    out.areas[#out.areas + 1] = { id = area.id, title = area.title, items = items, mark = mark }
  end
  for _, m in ipairs(M.menus) do
    local best = ""
    for _, a in ipairs(m.areas) do
      if mark_rank[area_mark[a]] > mark_rank[best] then best = area_mark[a] end
    end
    out.menus[#out.menus + 1] = { no = m.no, title = m.title, mark = best }
  end
  return out
end

-- --- The pool entry ----------------------------------------------------------

local form_by = survey.index(skills.form)

local function choices_of(id, drop)
  local out = {}
  for _, c in ipairs(form_by[id].choices) do
    if not contains(drop, c) then out[#out + 1] = c end
  end
  return out
end

-- What `expert edit` accepts for the pool's fields (the skill survey's own
-- choices; industries are the company profile's, so that a company's
-- industry and an expert's experience are compared in one vocabulary).
M.choices = {
  affiliation_kind = form_by.respondent_affiliation.choices,
  sizes = choices_of("q8", { "該当なし" }),
  forms = choices_of("q10", { "その他 (_____)", "該当なし" }),
  fee = form_by.q12.choices,
  periods = choices_of("q13", { "支援不可 理由（_____）" }),
}

-- 問6's industries in the company profile's classification (日本標準産業分類
-- 大分類, with 製造業（自動車産業） apart); その他 and 該当なし have none.
M.industry_of = {
  ["自動車産業"] = "製造業（自動車産業）",
  ["半導体産業"] = "製造業",
  ["その他製造業"] = "製造業",
  ["建設業"] = "建設業",
  ["防衛産業"] = "製造業",
  ["電力産業"] = "電気・ガス・熱供給・水道業",
  ["運輸・交通業"] = "運輸業、郵便業",
  ["小売業"] = "小売業",
  ["卸売業"] = "卸売業",
  ["サービス業"] = "サービス業（他に分類されないもの）",
  ["金融業"] = "金融業、保険業",
  ["医療"] = "医療、福祉",
  ["教育"] = "教育、学習支援業",
}

-- The problems of pool fields given to `expert edit` (field → value), as
-- "--option: message" strings.
function M.check_fields(f)
  local problems = {}
  local function bad(opt, msg) problems[#problems + 1] = "--" .. opt .. ": " .. msg end
  local function one_of(opt, v, list)
    if v ~= nil and not contains(list, v) then
      bad(opt, "「" .. v .. "」は次のいずれでもありません: " .. table.concat(list, "、"))
    end
  end
  one_of("affiliation-kind", f.affiliation_kind, M.choices.affiliation_kind)
  one_of("fee", f.fee, M.choices.fee)
  for _, k in ipairs { "sizes", "forms", "periods" } do
    for _, v in ipairs(f[k] or {}) do one_of(k, v, M.choices[k]) end
  end
  if f.reg_year ~= nil and (math.type(f.reg_year) ~= "integer" or f.reg_year < 2016 or f.reg_year > 2100) then
    bad("reg-year", "登録年は西暦の4桁で記入してください（2016年以降）")
  end
  if f.reg_no ~= nil and f.reg_no ~= "" and not f.reg_no:match("^%d+$") then
    bad("reg-no", "登録番号は数字で記入してください（「" .. f.reg_no .. "」）")
  end
  return problems
end

-- The registration number as digits only (第012345号 → 012345); nil when
-- none is given.
function M.reg_no(text)
  if not text then return nil end
  local digits = tostring(text):gsub("\xEF\xBC([\x90-\x99])", function(b)
    return string.char(b:byte() - 0x90 + 48)
  end):gsub("%D", "")
  return digits ~= "" and digits or nil
end

-- The choices marked for multi question `id` in `answers`, the `other`
-- choice replaced by its details when some were written.
local function marked(answers, id, drop)
  local q = form_by[id]
  local out = {}
  for i, c in ipairs(q.choices) do
    if answers[survey.choice_id(q, i)] and not contains(drop, c) then
      if c == q.other then
        local d = answers[survey.other_id(q)]
        if d and d ~= "" then out[#out + 1] = d end
      else
        out[#out + 1] = c
      end
    end
  end
  return out
end

-- Why an answer keeps its expert off the published list, or nil: no skill
-- answered, no support possible (問13 支援不可), or no consent.
local function unlisted(answers)
  local reasons = {}
  if not M.evaluate(answers).answered then reasons[#reasons + 1] = "スキル無回答" end
  local q13 = form_by.q13
  for i, c in ipairs(q13.choices) do
    if c == q13.other and answers[survey.choice_id(q13, i)] then reasons[#reasons + 1] = "支援不可" end
  end
  if answers.listing ~= "同意する" then reasons[#reasons + 1] = "掲載に同意なし" end
  return #reasons > 0 and table.concat(reasons, "、") or nil
end

-- The pool entry an answer gives (the fields `expert edit` sets, by their
-- store names).
function M.entry(answers)
  local themes = {}
  local q11 = form_by.q11
  for id, choice in pairs(q11.theme_choice) do
    for i, c in ipairs(q11.choices) do
      if c == choice and answers[survey.choice_id(q11, i)] then themes[#themes + 1] = id end
    end
  end
  table.sort(themes, function(a, b) return M.theme_menu[a] < M.theme_menu[b] or
    (M.theme_menu[a] == M.theme_menu[b] and a < b) end)
  local industries = {}
  for _, c in ipairs(marked(answers, "q6", { "該当なし" })) do
    local ind = M.industry_of[c]
    if ind and not contains(industries, ind) then industries[#industries + 1] = ind end
  end
  local quals = { "登録セキスペ" }
  for _, c in ipairs(marked(answers, "q3")) do quals[#quals + 1] = c end
  local why = unlisted(answers)
  return {
    name = answers.respondent_name,
    residence = answers.respondent_residence,
    affiliation_kind = answers.respondent_affiliation,
    affiliation = answers.respondent_organisation,
    email = answers.respondent_email,
    reg_no = M.reg_no(answers.q1),
    reg_year = math.tointeger(tonumber(answers.q2 or "")),
    qualifications = quals,
    industries = industries,
    sizes = marked(answers, "q8", { "該当なし" }),
    regions = marked(answers, "q9", { "該当なし" }),
    forms = marked(answers, "q10", { "該当なし" }),
    themes = themes,
    fee = answers.q12,
    periods = marked(answers, "q13", { form_by.q13.other }),
    self_pr = answers.q14,
    listed = why == nil,
    unlisted = why,
  }
end

-- --- The form, one expert at a time -----------------------------------------

M.skills_sheet = survey.sheet(skills.form, {
  id = "survey-skills",
  file = "セキュリティ専門家スキル調査アンケート.xlsx",
  sheet = "スキルアンケート",
  guidance = {
    "「回答」の列に記入してください。▼の付いた設問は一覧から一つ選び、複数選べる設問は選ぶ選択肢の行に「○」を記入します。",
    "保有スキル（S1〜S6）は 0：知識・経験なし 1：基礎知識のみ 2：サポートがあれば実行可能 3：単独実行可能 から選びます。",
    "回答はアクティブリスト（専門家の検索・紹介）に使われます。",
  },
  fields = {
    { label = "専門家", value = "expert.name" },
    dates.field("作成日"),
  },
})

-- The answers of the rows a form came back with.
M.answers = survey.answers

-- --- The survey service's export --------------------------------------------

-- Column headers that carry the time of an answer, as survey services name it.
M.time_headers = { "完了時刻", "回答日時", "タイムスタンプ", "Timestamp", "Completion time",
                   "送信日時", "回答時刻" }

-- `s` without the spaces around it, full-width ones too. (A pattern's
-- character class works on bytes, so the full-width space is matched as
-- the sequence it is.)
local function trim(s)
  s = tostring(s)
  local again = true
  while again do
    again = false
    local a = s:gsub("^%s+", ""):gsub("%s+$", "")
    if a:sub(1, 3) == "　" then a = a:sub(4); again = true end
    if a:sub(-3) == "　" then a = a:sub(1, -4); again = true end
    s = a
  end
  return s
end

-- The question a column header names: its label (「問6」, 「S1-a(1)」), its id,
-- or its text (the part before a bracket will do), optionally followed by the
-- question's text after a space or a full stop.
local header_index = {}
local function add_header(h, q)
  if h and h ~= "" and not header_index[h] then header_index[h] = q end
end
-- Where the first of `marks` (plain strings) stands in `s`, or nil.
local function first_of(s, marks)
  local at
  for _, m in ipairs(marks) do
    local i = s:find(m, 1, true)
    if i and (not at or i < at) then at = i end
  end
  return at
end

for _, q in ipairs(select(2, survey.index(skills.form))) do
  add_header(q.id, q)
  add_header(q.label, q)
  add_header(q.text, q)
  local bracket = first_of(q.text, { "（", "(" })
  if bracket and bracket > 1 then add_header(q.text:sub(1, bracket - 1), q) end
end

local separators = { " ", "　", "．", ".", ":", "：" }

local function question_of(header)
  header = trim(header)
  if header_index[header] then return header_index[header] end
  local at = first_of(header, separators)
  return at and at > 1 and header_index[header:sub(1, at - 1)] or nil
end

-- Splits a multi-select cell: the services write the choices separated by
-- ";" (or one per line).
local function split(cell)
  local out = {}
  cell = cell:gsub("；", ";"):gsub("\n", ";")
  for part in (cell .. ";"):gmatch("([^;]*);") do
    part = trim(part)
    if part ~= "" then out[#out + 1] = part end
  end
  return out
end

-- The answers of one export row (column → cell text), and the problems of
-- cells that cannot be read as the form's answers.
local function row_answers(cols, cells, problems, row)
  local a = {}
  for col, q in pairs(cols) do
    local cell = cells[col]
    if cell ~= nil and trim(cell) ~= "" then
      cell = trim(cell)
      local function choose(text)
        for i, c in ipairs(q.choices) do
          if c == text or trim((c:gsub("%s*（※%d）", ""))) == text then
            return q.type == "multi" and survey.choice_id(q, i) or c
          end
        end
      end
      if q.type == "multi" then
        for _, part in ipairs(split(cell)) do
          local id = choose(part)
          if id then
            a[id] = survey.mark
          elseif q.other then
            for i, c in ipairs(q.choices) do
              if c == q.other then a[survey.choice_id(q, i)] = survey.mark end
            end
            a[survey.other_id(q)] = part
          else
            problems[#problems + 1] = { row = row, col = col,
              message = string.format("%s: 「%s」は選択肢にありません（%s）", q.label or q.id, part,
                                      table.concat(q.choices, "／")) }
          end
        end
      elseif q.type == "single" then
        local c = choose(cell) or (tonumber(cell) and choose(tostring(math.tointeger(tonumber(cell)) or cell)))
        if c then
          a[q.id] = c
        elseif q.other then
          a[q.id] = q.other
          a[survey.other_id(q)] = cell
        else
          a[q.id] = cell -- the check names it
        end
      else
        a[q.id] = cell
      end
    end
  end
  return a
end

-- Reads a survey service's export: input = { rows = { { row = N, cells =
-- { { col = N, text = … } } } } }, the first row the headers. Duplicate answers (the
-- same registration number, or without one the same name and e-mail address)
-- are counted and only the latest kept (by the time column, else the later
-- row), as the programme did (§2.3.1). Returns { answers = N, duplicates =
-- { { row, kept } }, respondents = { { row, at, answers, entry } }, problems =
-- { { row, col, message } }, columns = { { col, id } } }.
function M.read_export(input)
  local rows = input.rows or {}
  local out = { answers = 0, duplicates = {}, respondents = {}, problems = {}, columns = {} }
  if #rows == 0 then
    out.problems[1] = { row = 1, col = 1, message = "見出しの行がありません（空のシートです）" }
    return out
  end
  -- Cells by column number.
  for _, r in ipairs(rows) do
    local by = {}
    for _, c in ipairs(r.cells or {}) do by[c.col] = c.text end
    r.by = by
  end
  local cols, time_col, seen = {}, nil, {}
  for _, c in ipairs(rows[1].cells or {}) do
    local q = question_of(c.text)
    if q and not seen[q.id] then
      seen[q.id] = true
      cols[c.col] = q
      out.columns[#out.columns + 1] = { col = c.col, id = q.id }
    elseif not q and contains(M.time_headers, trim(c.text)) then
      time_col = c.col
    end
  end
  local have = {}
  for _, q in pairs(cols) do have[q.id] = true end
  for _, need in ipairs { "respondent_name", "q1" } do
    if not have[need] then
      local q = form_by[need]
      out.problems[#out.problems + 1] = { row = rows[1].row, col = 1,
        message = string.format("「%s」の列が見つかりません（見出しは設問の番号か文言にしてください）",
                                q.label or q.text) }
    end
  end
  if #out.problems > 0 then return out end
  local kept, order = {}, {}
  for k = 2, #rows do
    local r = rows[k]
    local probs = {}
    local a = row_answers(cols, r.by, probs, r.row)
    local empty = next(a) == nil
    if not empty then
      out.answers = out.answers + 1
      local at = time_col and r.by[time_col] and trim(r.by[time_col]) or ""
      local key = M.reg_no(a.q1) or ((a.respondent_name or "") .. "\0" .. (a.respondent_email or ""))
      local resp = { row = r.row, at = at, answers = a, problems = probs }
      local earlier = kept[key]
      local function later(x, y) -- x answered after y
        local nx, ny = tonumber(x.at), tonumber(y.at)
        if nx and ny then return nx >= ny end
        if x.at ~= "" and y.at ~= "" then return x.at >= y.at end
        return x.row > y.row
      end
      if not earlier then
        kept[key] = resp
        order[#order + 1] = key
      elseif later(resp, earlier) then
        out.duplicates[#out.duplicates + 1] = { row = earlier.row, kept = resp.row }
        kept[key] = resp
      else
        out.duplicates[#out.duplicates + 1] = { row = resp.row, kept = earlier.row }
      end
    end
  end
  -- Where each question's answer stands, for the problems of the check.
  local col_of = {}
  for _, c in ipairs(out.columns) do col_of[c.id] = c.col end
  local named = {}
  for _, key in ipairs(order) do
    local r = kept[key]
    local name = r.answers.respondent_name
    if name and named[name] then
      r.problems[#r.problems + 1] = { row = r.row, col = col_of.respondent_name,
        message = string.format("氏名「%s」の回答が%d行目にもあり、登録番号が異なります", name, named[name]) }
    elseif name then
      named[name] = r.row
    end
    for _, p in ipairs(r.problems) do out.problems[#out.problems + 1] = p end
    for _, p in ipairs(survey.check_answers(skills.form, r.answers)) do
      local qid = p.row:match("^([^.]+)")
      out.problems[#out.problems + 1] = { row = r.row, col = col_of[qid] or 1, message = p.message }
    end
    out.respondents[#out.respondents + 1] = { row = r.row, at = r.at, answers = r.answers,
                                              entry = M.entry(r.answers) }
  end
  table.sort(out.problems, function(x, y) return x.row < y.row or (x.row == y.row and x.col < y.col) end)
  return out
end

-- --- Search and matching ------------------------------------------------------

-- The marks of an expert's evaluation by menu number ("" for none).
local function menu_marks(e)
  local m = {}
  for _, x in ipairs((e.evaluation or {}).menus or {}) do m[x.no] = x.mark end
  return m
end

-- The ids of the experts of input.experts (each a pool entry with
-- `evaluation`, `load`) that every filter of input.filters holds for: region (a prefecture or a
-- programme region: served as `serves` reads it), theme, industry, form,
-- size, menu with mark (◎ only, or ◎ and ○), listed.
function M.search(input)
  local f = input.filters or {}
  local out = {}
  for _, e in ipairs(input.experts or {}) do
    local ok = true
    if f.region then
      local company = region_named(f.region) and { region = f.region } or { prefecture = f.region }
      ok = ok and (M.serves(e.regions, company))
    end
    ok = ok and (not f.theme or contains(e.themes, f.theme))
    ok = ok and (not f.industry or contains(e.industries, f.industry))
    ok = ok and (not f.form or contains(e.forms, f.form))
    ok = ok and (not f.size or contains(e.sizes, f.size))
    if f.menu then
      local got = mark_rank[menu_marks(e)[f.menu] or ""]
      ok = ok and got >= (f.mark == "◎" and 2 or 1)
    end
    ok = ok and (not f.listed or e.listed == true)
    if ok then out[#out + 1] = e.id end
  end
  return out
end

-- Candidates for input.company (a company row with `region` when it came
-- through a session) on input.theme (an id, or nil), among input.experts
-- (as for search). Ranked by, in this order: serves the company's region;
-- covers the theme; the mark of the theme's menu (◎, ○, none); experience
-- of the company's industry; support by visit (訪問によるコンサルティング);
-- fewer engagements in progress; then by id. Experts kept off the list
-- (listed false) are left out. Each candidate: { id, name, rank, load,
-- reasons = { … }, key = { region, theme, mark, industry, visit } }.
function M.match(input)
  local c, theme = input.company or {}, input.theme
  local menu = theme and M.theme_menu[theme]
  local cands = {}
  for _, e in ipairs(input.experts or {}) do
    if e.listed ~= false then
      local reasons, key = {}, {}
      local ok, why = M.serves(e.regions, c)
      key.region = ok and 1 or 0
      reasons[#reasons + 1] = "地域：" .. why
      if theme then
        key.theme = contains(e.themes, theme) and 1 or 0
        reasons[#reasons + 1] = "テーマ：" .. (key.theme == 1 and "対応" or "対応テーマにない")
        local mark = menu_marks(e)[menu] or ""
        key.mark = mark_rank[mark]
        if not (e.evaluation or {}).answered then
          reasons[#reasons + 1] = "スキル：スキルアンケート未回答"
        else
          reasons[#reasons + 1] = string.format("スキル：支援メニュー%d %s", menu,
                                                mark ~= "" and mark or "評価なし")
        end
      else
        key.theme, key.mark = 0, 0
      end
      if c.industry then
        key.industry = contains(e.industries, c.industry) and 1 or 0
        reasons[#reasons + 1] = "業種：" .. c.industry .. (key.industry == 1 and "の支援経験あり" or "の経験なし")
      else
        key.industry = 0
      end
      key.visit = contains(e.forms, "訪問によるコンサルティング") and 1 or 0
      reasons[#reasons + 1] = "支援形態：" .. (key.visit == 1 and "訪問可" or "訪問の記載なし")
      reasons[#reasons + 1] = string.format("担当中：%d件", e.load or 0)
      cands[#cands + 1] = { id = e.id, name = e.name, load = e.load or 0, reasons = reasons, key = key }
    end
  end
  local order = { "region", "theme", "mark", "industry", "visit" }
  table.sort(cands, function(x, y)
    for _, k in ipairs(order) do
      if x.key[k] ~= y.key[k] then return x.key[k] > y.key[k] end
    end
    if x.load ~= y.load then return x.load < y.load end
    return x.id < y.id
  end)
  for i, cand in ipairs(cands) do cand.rank = i end
  return cands
end

return M
