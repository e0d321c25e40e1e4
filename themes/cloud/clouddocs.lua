-- Theme 3 (クラウドサービスの安全利用): its worksheets and the company's guide.
--   M.ledger     クラウドサービス台帳: one row per cloud service in use or
--                planned, with suggestions for the company's industry
--                (clouddata.lua) that it keeps (区分 自社) or deletes;
--   M.checklist  安全利用チェックリスト: for every service of the ledger, a
--                block of the handbook's check items (and the internet banking
--                items for a bank), each judged 適切 / 要改善 / 未確認 / 該当なし
--                against a guide to what counts as 適切; the first sheet of a
--                workbook whose second sheet is
--   M.summary    評価一覧: every service's counts and overall rating, in Lua
--                and as live formulas over the checklist, with a chart;
-- and the context of 自社版 クラウドサービス安全利用の手引き.
local documents = require "documents"
local clouddata = require "clouddata"

local M = {}

M.sample_mark = "サンプル"
M.own_mark = "自社"
M.yes = "有"
M.ok, M.bad, M.unconfirmed, M.na = "適切", "要改善", "未確認", "該当なし"
M.answers = { M.ok, M.bad, M.unconfirmed, M.na }
M.unanswered = "未記入"
M.key_mark = "◎"
M.importance_levels = { 3, 2, 1 }

-- The overall rating of a service (see M.rating): C below this share of
-- 適切 among the items that apply.
M.pass_rate = 0.6

-- Actions are due this many days after the guide: fixing a key item, fixing
-- another item, finding out what is not confirmed.
M.due_days = { key = 30, other = 60, confirm = 30 }

-- The guide and the ledger are reviewed this many days after the guide.
M.review_days = 365

local red, yellow, green, grey = "#F8CBAD", "#FFF2CC", "#E2EFDA", "#E7E6E6"

local kind_names = {}
for _, k in ipairs(clouddata.kinds) do
  kind_names[#kind_names + 1] = k.name
end

local function blank(v)
  return v == nil or v == ""
end

-- --- The rating -----------------------------------------------------------------

local function is_banking(service)
  return service.kind == clouddata.banking_kind
end

-- The check items that apply to a service: the handbook's (those marked
-- `banking` for a bank), then the banking items for a bank.
function M.items_for(service)
  local list = {}
  for _, it in ipairs(clouddata.items) do
    if is_banking(service) and it.banking or not is_banking(service) and not it.only_banking then
      list[#list + 1] = it
    end
  end
  return list
end

-- The counts and the overall rating of one service from its checklist rows
-- ({ key = "◎" or "", answer }); an unanswered item counts as 未確認.
--   C 要改善:  a key item 要改善; or, for a service holding importance-3
--              data, a key item not confirmed; or under M.pass_rate 適切
--   A 良好:    every item that applies 適切
--   B 概ね良好: otherwise
-- The formulas of the 評価一覧 sheet compute the same.
function M.rating(importance, rows)
  local r = { items = #rows, ok = 0, bad = 0, na = 0, key_bad = 0, key_unconfirmed = 0 }
  for _, row in ipairs(rows) do
    local key = row.key == M.key_mark
    if row.answer == M.ok then
      r.ok = r.ok + 1
    elseif row.answer == M.bad then
      r.bad = r.bad + 1
      if key then r.key_bad = r.key_bad + 1 end
    elseif row.answer == M.na then
      r.na = r.na + 1
    elseif key then
      r.key_unconfirmed = r.key_unconfirmed + 1
    end
  end
  r.unconfirmed = r.items - r.ok - r.bad - r.na
  local applies = r.items - r.na
  if applies == 0 then
    r.rating = "—"
    return r
  end
  r.rate = r.ok / applies
  if r.key_bad > 0 or (importance == 3 and r.key_unconfirmed > 0) or r.rate < M.pass_rate then
    r.rating = "C"
  elseif r.bad + r.unconfirmed == 0 then
    r.rating = "A"
  else
    r.rating = "B"
  end
  return r
end

-- --- The ledger -------------------------------------------------------------------

local function services_of(ctx)
  return ctx.records and ctx.records["cloud-ledger"] or {}
end

local function sample_rows(ctx)
  local rows = {}
  local function add(list)
    for _, s in ipairs(list or {}) do
      rows[#rows + 1] = {
        mark = M.sample_mark, no = string.format("S-%02d", #rows + 1), name = s.name, provider = s.provider,
        purpose = s.purpose, kind = s.kind, status = s.status or clouddata.statuses[1], data = s.data,
        importance = s.importance, pi = s.pi and M.yes or "無", users = s.users, contract = s.contract,
        plan = s.plan, auth = s.auth, location = s.location, note = s.note,
      }
    end
  end
  add(clouddata.samples.generic)
  for _, v in ipairs(ctx.variants or {}) do
    add(clouddata.samples[v])
  end
  return rows
end

local input = documents.input_column

M.ledger = worksheet {
  id = "cloud-ledger",
  file = "クラウドサービス台帳.xlsx",
  sheet = "クラウドサービス台帳",
  title = "クラウドサービス台帳",
  guidance = {
    "業務で使っている、または使う予定のクラウドサービスを1行に1つずつ書き出す台帳です。無料のサービスや、社員が個人のアカウントで業務に使っているものも含めてください。",
    "灰色の行は業種に合わせた候補です。貴社で使っているものはサービス名などを直して「区分」を「自社」に、使っていないものは行ごと削除してください。「サンプル」のままの行は取り込まれません。",
    "管理番号は行ごとに重ならない番号を付けてください（例：C-01）。情報の重要度は 3（漏れる・消えると会社の存続や取引先に深刻な影響、個人情報など法令で守る義務がある）、2（事業に大きな影響）、1（影響はほとんどない）から選びます。",
    "この台帳を取り込むと、サービスごとの安全利用チェックリストが作られます。認証方式・保管場所・管理者・契約形態の記入内容は、チェックリストの評価の候補になります。",
  },
  fields = documents.filler_fields(),
  columns = {
    input("mark", "区分", "enum", 8, { choices = { M.own_mark, M.sample_mark },
      help = "候補の行を残すときは「自社」に変えてください。" }),
    input("no", "管理番号", "text", 9, { required = true }),
    input("name", "サービス名", "text", 26, { required = true, wrap = true }),
    input("provider", "提供事業者", "text", 16, { wrap = true }),
    input("purpose", "利用目的・業務", "text", 22, { required = true, wrap = true }),
    input("kind", "種類", "enum", 20, { choices = kind_names, required = true }),
    input("status", "状態", "enum", 10, { choices = clouddata.statuses, required = true }),
    input("data", "保存・処理する情報", "text", 26, { wrap = true }),
    input("importance", "情報の重要度", "enum", 13, { choices = M.importance_levels, required = true,
      help = "3：漏れる・消えると深刻／個人情報など　2：事業に大きな影響　1：影響はほとんどない" }),
    input("pi", "個人情報", "enum", 9, { choices = { M.yes, "無" } }),
    input("users", "利用者", "text", 14, { wrap = true }),
    input("count", "利用者数", "integer", 7),
    input("admin", "社内の管理者", "text", 14, { wrap = true,
      help = "アカウントの登録・削除や設定を担当する人。決まっていなければ空欄のまま。" }),
    input("contract", "契約形態", "enum", 16, { choices = clouddata.contracts }),
    input("plan", "契約プラン", "text", 14, { wrap = true }),
    input("auth", "認証方式", "enum", 18, { choices = clouddata.auth_methods }),
    input("location", "データの保管場所", "enum", 10, { choices = clouddata.locations }),
    input("cost", "月額費用（円）", "integer", 15, { format = "#,##0" }),
    input("renewal", "契約更新日", "date", 11),
    input("note", "備考", "text", 36, { wrap = true }),
  },
  key = "no",
  skip = { column = "mark", equals = M.sample_mark },
  rows = sample_rows,
  min_rows = 20,
  freeze = true,
  autofilter = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  conditional = {
    { column = "mark", equals = M.sample_mark, fill = grey },
    { column = "importance", equals = 3, fill = red },
  },
}

-- --- The checklist ----------------------------------------------------------------

-- What the ledger already tells about an item: a proposed answer (or nil)
-- and a note for the reason column. The company confirms or changes both.
local function from_ledger(item, s)
  local id = item.id
  if id == "9" and is_banking(s) then
    -- A bank's login and transfer authentication is B1's; 9 is left to its
    -- accounts, so that one weakness is not two actions.
    return nil, "認証の方式はB1で確認。ここでは共有IDと退職者のアカウントを確認"
  elseif id == "9" or id == "B1" then
    if s.auth == "ID・パスワードのみ" then
      return M.bad, "台帳：認証はID・パスワードのみ"
    elseif s.auth == "多要素認証（一部の利用者）" and id == "9" then
      return M.bad, "台帳：多要素認証は一部の利用者のみ"
    elseif s.auth == "不明" or blank(s.auth) then
      return M.unconfirmed, "台帳：認証方式が分からない"
    end
    return nil, "台帳：" .. s.auth .. "。共有IDや退職者のアカウントがないかも確認"
  elseif id == "15" then
    if s.location == "不明" or blank(s.location) then
      return M.unconfirmed, "台帳：保管場所が分からない"
    elseif s.location == "国内" then
      return nil, "台帳：国内に保管。準拠法と裁判管轄も確認"
    end
    return nil, "台帳：国外にも保管。準拠法と裁判管轄を確認"
  elseif id == "7" and blank(s.admin) then
    return M.bad, "台帳：社内の管理者が決まっていない"
  elseif id == "4" and s.contract == "個人契約・個人アカウント" then
    return M.bad, "台帳：個人契約のアカウントで業務に使っている"
  end
  return nil, nil
end

-- The 分類 of a checklist row as printed: on two lines at a break between
-- words, so that a narrow column does not leave き or ィ管理 on a line of
-- their own.
local group_cell = {
  ["選択するとき"] = "選択する\nとき",
  ["運用するとき"] = "運用する\nとき",
  ["セキュリティ管理"] = "セキュリティ\n管理",
  ["インターネットバンキング"] = "インターネット\nバンキング",
}

local function band_of(s)
  return string.format("%s %s（%s）　重要度%s　管理者：%s　%s", s.no, s.name, s.kind or "",
    s.importance or "—", blank(s.admin) and "未定" or s.admin, s.status or "")
end

-- One block per service of the ledger, in its order: the items that apply,
-- with the answers given before (by 番号), else what the ledger suggests.
local function check_rows(ctx)
  local given = {}
  for _, r in ipairs(ctx.records and ctx.records["cloud-check"] or {}) do
    given[r.id] = r
  end
  local rows = {}
  for _, s in ipairs(services_of(ctx)) do
    for i, it in ipairs(M.items_for(s)) do
      local id = s.no .. "/" .. it.id
      local was = given[id]
      local answer, reason
      if was then
        answer, reason = was.answer, was.reason
      else
        answer, reason = from_ledger(it, s)
      end
      rows[#rows + 1] = {
        band = i == 1 and band_of(s) or nil,
        id = id, item_id = it.id, service = s.no, group = group_cell[it.group] or it.group, item = it.id .. " " .. it.topic .. "\n" .. it.question,
        guide = it.guide, key = it.key and M.key_mark or "", answer = answer, reason = reason,
        owner = was and was.owner, due = was and was.due,
      }
    end
  end
  return rows
end

local answer_colours = {
  { column = "answer", equals = M.bad, fill = red },
  { column = "answer", equals = M.unconfirmed, fill = yellow },
  { column = "answer", equals = M.ok, fill = green },
  { column = "answer", equals = M.na, fill = grey },
}

M.checklist = worksheet {
  id = "cloud-check",
  file = "安全利用チェックリスト.xlsx",
  sheet = "安全利用チェックリスト",
  title = "クラウドサービス安全利用チェックリスト",
  guidance = {
    "クラウドサービス台帳のサービスごとに、確認項目をまとめた表です。青い見出しの行が1つのサービスの始まりです。",
    "「評価」は、確認したかどうかではなく、内容が貴社にとって十分かで選びます。適切＝「適切とする目安」を満たしている、要改善＝確認したが目安に届かない（例：SLAはあるが稼働率の数値や停止時の取り決めがない）、未確認＝まだ分からない、該当なし＝このサービスには当てはまらない。",
    "◎は重点項目です。重点項目が要改善のサービスや、重要度3のサービスで重点項目が未確認のものは、総合評価がCになります。評価は「評価一覧」シートで自動的に集計されます。",
    "台帳の記入内容から評価の候補を入れてある項目があります。実際の状況と違えば選び直してください。要改善・未確認の項目は、理由と、分かれば担当者・期限を書いてください。",
  },
  fields = documents.filler_fields(),
  columns = {
    -- The room goes to the longest text, the guide, so that rows are not
    -- made tall by a narrow column; 分類 is as wide as its longest line
    -- (インターネット / バンキング). The text columns come to 153 characters.
    { key = "id", header = "番号", type = "text", required = true, width = 8 },
    { key = "service", header = "管理番号", type = "text", required = true, width = 7 },
    { key = "group", header = "分類", type = "text", width = 15, wrap = true },
    { key = "item", header = "確認項目", type = "text", width = 28, wrap = true },
    { key = "guide", header = "適切とする目安", type = "text", width = 58, wrap = true },
    { key = "key", header = "重点", type = "text", width = 5 },
    input("answer", "評価", "enum", 8, { choices = M.answers,
      help = "適切：目安を満たす　要改善：目安に届かない　未確認：まだ分からない　該当なし" }),
    input("reason", "確認内容・理由", "text", 16, { wrap = true }),
    input("owner", "担当者", "text", 8, { wrap = true }),
    input("due", "期限", "date", 10),
  },
  key = "id",
  band = "band",
  rows = check_rows,
  refresh = true,
  fixed_rows = true,
  freeze = true,
  autofilter = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  conditional = answer_colours,
  book = { "cloud-summary" },
}

-- Every service with its checklist rows (the stored answers) and rating.
function M.evaluate(ctx)
  local by_service = {}
  for _, r in ipairs(check_rows(ctx)) do
    local list = by_service[r.service]
    if not list then
      list = {}
      by_service[r.service] = list
    end
    list[#list + 1] = r
  end
  local out = {}
  for _, s in ipairs(services_of(ctx)) do
    local rows = by_service[s.no] or {}
    out[#out + 1] = { service = s, rows = rows, result = M.rating(s.importance, rows) }
  end
  return out
end

local function countifs(...)
  local parts = { "{cloud-check:service},{no}" }
  for _, c in ipairs { ... } do parts[#parts + 1] = c end
  return "COUNTIFS(" .. table.concat(parts, ",") .. ")"
end

local function key_count(answer)
  return countifs(string.format('{cloud-check:key},"%s"', M.key_mark),
    answer and string.format('{cloud-check:answer},"%s"', answer) or nil)
end

M.summary = worksheet {
  id = "cloud-summary",
  output = true,
  sheet = "評価一覧",
  title = "サービスごとの評価一覧",
  guidance = {
    "「安全利用チェックリスト」の評価を、サービスごとに数えた表です（計算式で集計しているので、チェックリストを直すとすぐに変わります）。未記入の項目は未確認として数えます。",
    string.format("総合評価：C＝重点項目に要改善がある、重要度3のサービスで重点項目に未確認がある、または適切が%d%%未満。A＝当てはまる項目がすべて適切。B＝それ以外。",
      math.floor(M.pass_rate * 100 + 0.5)),
  },
  fields = {
    { label = "会社名", value = "company.name" },
    documents.dates.field("作成日"),
  },
  columns = {
    { key = "no", header = "管理番号", type = "text", width = 9 },
    { key = "name", header = "サービス名", type = "text", width = 28, wrap = true },
    { key = "kind", header = "種類", type = "text", width = 22, wrap = true },
    { key = "importance", header = "重要度", type = "integer", width = 7 },
    { key = "items", header = "項目数", type = "integer", width = 7, formula = countifs() },
    { key = "ok", header = M.ok, type = "integer", width = 7,
      formula = countifs(string.format('{cloud-check:answer},"%s"', M.ok)) },
    { key = "bad", header = M.bad, type = "integer", width = 7,
      formula = countifs(string.format('{cloud-check:answer},"%s"', M.bad)) },
    { key = "unconfirmed", header = "未確認・未記入", type = "integer", width = 15,
      formula = "{items}-{ok}-{bad}-{na}" },
    { key = "na", header = M.na, type = "integer", width = 9,
      formula = countifs(string.format('{cloud-check:answer},"%s"', M.na)) },
    { key = "key_bad", header = "重点の要改善", type = "integer", width = 13, formula = key_count(M.bad) },
    { key = "key_unconfirmed", header = "重点の未確認", type = "integer", width = 13,
      formula = string.format("%s-%s-%s-%s", key_count(), key_count(M.ok), key_count(M.bad), key_count(M.na)) },
    { key = "rate", header = "適切の割合", type = "number", width = 11, format = "0%",
      formula = 'IF({items}-{na}=0,"",{ok}/({items}-{na}))' },
    { key = "rating", header = "総合評価", type = "text", width = 9,
      formula = string.format('IF({items}-{na}=0,"—",IF(OR({key_bad}>0,AND({importance}=3,{key_unconfirmed}>0),{rate}<%s),"C",IF({bad}+{unconfirmed}=0,"A","B")))',
        tostring(M.pass_rate)) },
  },
  rows = function(ctx)
    local rows = {}
    for _, e in ipairs(M.evaluate(ctx)) do
      local s, r = e.service, e.result
      rows[#rows + 1] = {
        no = s.no, name = s.name, kind = s.kind, importance = s.importance, items = r.items, ok = r.ok,
        bad = r.bad, unconfirmed = r.unconfirmed, na = r.na, key_bad = r.key_bad,
        key_unconfirmed = r.key_unconfirmed, rate = r.rate, rating = r.rating,
      }
    end
    return rows
  end,
  freeze = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  conditional = {
    { column = "rating", equals = "C", fill = red },
    { column = "rating", equals = "B", fill = yellow },
    { column = "rating", equals = "A", fill = green },
  },
  charts = {
    { type = "column", title = "サービスごとの「適切」の割合", categories = "no", values = "rate",
      max = 1, format = "0%", anchor = "O3", width = 520, height = 320 },
  },
}

-- --- 自社版 クラウドサービス安全利用の手引き --------------------------------------------

local function guide_date(ctx)
  return documents.visit_date_or_today(ctx, 3)
end

-- A person as the guide's narrow 管理者 and 担当 columns print them: a
-- department or title, then a name ("営業部 田中 亮"), on two lines at the
-- first space, so that a name is not broken across lines.
local function person_cell(s)
  local a, b = s:match("^(%S+)[ 　]+(%S+[ 　]+%S+)$")
  if a then return a .. "\n" .. b end
  return s
end

local function contact(c)
  if blank(c.contact_name) then
    return "（未定）"
  end
  return (blank(c.contact_role) and "" or (c.contact_role .. " ")) .. c.contact_name
end

-- Which of the rules' conditions the company's ledger meets.
local function conditions(services)
  local has = {}
  for _, s in ipairs(services) do
    if s.pi == M.yes then has.personal = true end
    if s.importance == 3 then has.important = true end
    if s.location == "国外" or s.location == "国内・国外" then has.foreign = true end
    if s.contract == "個人契約・個人アカウント" then has.personal_contract = true end
    if s.status == "導入予定" then has.planned = true end
    if is_banking(s) then has.banking = true end
  end
  return has
end

local function fill(text, values)
  return (text:gsub("{(%w+)}", function(k) return values[k] or ("{" .. k .. "}") end))
end

local percent = documents.percent

local rating_order = { C = 1, B = 2, A = 3 }

-- Context (templates/cloud/自社版クラウドサービス安全利用の手引き.docx):
--   company { name }, expert { name }, date, approver,
--   summary { services, in_use, planned, personal, important, rated_a, rated_b,
--   rated_c, actions, text }, services[] { no, name, provider, kind, purpose, importance,
--   admin, auth, location, rating, rate }, ratings[] { label, name, meaning },
--   rules[] { no, heading, lead, items[] }, numbers { plan, review, appendix },
--   action_groups[] { no, name, kind, rating, count, actions[] { rank, item,
--   answer, reason, action, owner, due } }, has_actions,
--   criteria[] { id, topic, guide }, review { date, owner, triggers[] }
function M.guide_context(ctx)
  local c = ctx.company or {}
  local date = guide_date(ctx)
  local evaluated = M.evaluate(ctx)
  local services = services_of(ctx)
  local approver = contact(c)

  local rows, counts = {}, { A = 0, B = 0, C = 0 }
  local in_use, planned, personal, important = 0, 0, 0, 0
  for _, e in ipairs(evaluated) do
    local s, r = e.service, e.result
    counts[r.rating] = (counts[r.rating] or 0) + 1
    if s.status == "導入予定" then planned = planned + 1 else in_use = in_use + 1 end
    if s.pi == M.yes then personal = personal + 1 end
    if s.importance == 3 then important = important + 1 end
    rows[#rows + 1] = {
      no = s.no, name = s.name, provider = s.provider or "", kind = s.kind, purpose = s.purpose,
      importance = s.importance,
      admin = blank(s.admin) and "（未定）" or person_cell(s.admin), auth = s.auth or "", location = s.location or "",
      rating = r.rating, rate = percent(r.rate),
    }
  end

  local has = conditions(services)
  local values = { approver = approver, company = c.name or "" }
  local rules = {}
  for _, ch in ipairs(clouddata.rules) do
    if not ch.when or has[ch.when] then
      local items = {}
      for _, it in ipairs(ch.items) do
        local text, when = it, nil
        if type(it) == "table" then text, when = it.text, it.when end
        if not when or has[when] then items[#items + 1] = fill(text, values) end
      end
      rules[#rules + 1] = { no = #rules + 3, heading = ch.heading, lead = fill(ch.lead or "", values), items = items }
    end
  end

  -- The actions: every 要改善 and every item not confirmed (未確認 or left
  -- blank), per service, services rated C first.
  local by_item = {}
  for _, it in ipairs(clouddata.items) do by_item[it.id] = it end
  local order = {}
  for i, e in ipairs(evaluated) do order[#order + 1] = { e = e, i = i } end
  table.sort(order, function(x, y)
    local rx, ry = rating_order[x.e.result.rating] or 9, rating_order[y.e.result.rating] or 9
    if rx ~= ry then return rx < ry end
    return x.i < y.i
  end)
  local groups, nactions = {}, 0
  for _, o in ipairs(order) do
    local s, list = o.e.service, {}
    for _, r in ipairs(o.e.rows) do
      if r.answer ~= M.ok and r.answer ~= M.na then
        local it = by_item[r.item_id]
        local bad = r.answer == M.bad
        local days = bad and (it.key and M.due_days.key or M.due_days.other) or M.due_days.confirm
        list[#list + 1] = {
          key = it.key, order = #list,
          item = it.id .. " " .. it.topic, answer = r.answer or M.unanswered, reason = r.reason or "",
          action = bad and it.improve or it.confirm,
          owner = person_cell(not blank(r.owner) and r.owner or (not blank(s.admin) and s.admin or "（未定）")),
          due = documents.wareki(r.due or documents.add_days(date, days)),
        }
      end
    end
    table.sort(list, function(x, y)
      if x.key ~= y.key then return x.key end
      return x.order < y.order
    end)
    for i, a in ipairs(list) do
      a.rank, a.key, a.order = i, nil, nil
    end
    if #list > 0 then
      nactions = nactions + #list
      groups[#groups + 1] = { no = s.no, name = s.name, kind = s.kind, rating = o.e.result.rating,
                              count = #list, actions = list }
    end
  end

  local criteria = {}
  for _, it in ipairs(clouddata.items) do
    if it.key then criteria[#criteria + 1] = { id = it.id, topic = it.topic, guide = it.guide } end
  end

  local text = string.format(
    "クラウドサービス台帳に登録した%d件のサービス（利用中%d件、導入予定%d件）を、安全利用チェックリストで確認しました。"
      .. "総合評価はAが%d件、Bが%d件、Cが%d件です。",
    #services, in_use, planned, counts.A, counts.B, counts.C)
  if nactions > 0 then
    text = text .. string.format("要改善・未確認の%d項目について、担当者と期限を決めて対応します（第%d章）。",
      nactions, #rules + 3)
  else
    text = text .. "改善や確認が必要な項目はありません。"
  end

  local ratings = {}
  for _, r in ipairs(clouddata.ratings) do
    ratings[#ratings + 1] = { label = r.label, name = r.name, meaning = r.meaning }
  end
  local triggers = {}
  for _, t in ipairs(clouddata.review_triggers) do triggers[#triggers + 1] = t end
  return {
    company = { name = c.name }, expert = { name = (ctx.expert or {}).name }, date = documents.wareki(date),
    approver = approver,
    summary = { services = #services, in_use = in_use, planned = planned, personal = personal,
                important = important, rated_a = counts.A, rated_b = counts.B, rated_c = counts.C,
                actions = nactions, text = text },
    services = rows, ratings = ratings, rules = rules,
    numbers = { plan = #rules + 3, review = #rules + 4, appendix = #rules + 5 },
    action_groups = groups, has_actions = nactions > 0, criteria = criteria,
    review = {
      date = documents.wareki(documents.add_days(date, M.review_days)),
      owner = approver, triggers = triggers,
    },
  }
end

M.docs = {
  ledger = document {
    id = "cloud-ledger", title = "クラウドサービス台帳", file = "クラウドサービス台帳.xlsx",
    worksheet = "cloud-ledger", role = "pack", visits = { 1 },
  },
  checklist = document {
    id = "cloud-check", title = "安全利用チェックリスト", file = "安全利用チェックリスト.xlsx",
    worksheet = "cloud-check", role = "pack", visits = { 2, 3 }, needs = { "cloud-ledger" },
  },
  checklist_result = document {
    id = "cloud-check-result", title = "安全利用チェックリスト（評価結果）",
    file = "安全利用チェックリスト_評価結果.xlsx", worksheet = "cloud-check", role = "report",
    visits = { 3 }, requires = "held", needs = { "cloud-check" },
  },
  guide = document {
    id = "cloud-guide", title = "自社版 クラウドサービス安全利用の手引き",
    file = "自社版クラウドサービス安全利用の手引き.docx",
    template = "cloud/自社版クラウドサービス安全利用の手引き.docx", role = "report", visits = { 3 },
    requires = "held", needs = { "cloud-ledger", "cloud-check" }, context = M.guide_context,
  },
}

return M
