-- Theme 5 (従業員向け情報セキュリティ教育): its worksheets and documents.
--   M.plan      研修計画シート: the catalogue of topics (trainingbank_a/b.lua),
--               those the self-diagnosis points at marked ◎; the company
--               chooses the topics, audiences, dates and trainers;
--   M.answers   解答用紙: one row per participant with the answers to the
--               comprehension test; the first sheet of a workbook whose
--               other sheets are
--   M.key       正答 (the test's answers), M.results 問題ごとの正答率 and
--               M.topics テーマごとの正答率 (with a chart), all live formulas;
--   M.year      年間教育計画: twelve months of sessions, refreshers, the
--               phishing drill, new hires and the review, as a calendar;
-- and the contexts of the plan, the test and its answer key, the review and
-- the annual plan's summary.
-- The test has M.test_length questions drawn from the banks of the chosen
-- topics with a seeded generator: the engagement and the session give the
-- seed, so the same test comes out every time, and session 2 draws another.
local documents = require "documents"
local selfdiag = require "selfdiag"
local bank_a = require "trainingbank_a"
local bank_b = require "trainingbank_b"

local M = {}

M.test_length = 12
M.threshold = 0.7            -- a topic or question under this correct rate is flagged
M.pass_rate = 0.7            -- a participant passes at this share of correct answers
M.labels = { "ア", "イ", "ウ", "エ" }
M.chosen, M.not_chosen = "実施する", "実施しない"
M.present, M.absent = "出席", "欠席"
M.recommended = "◎"
M.flag = "要復習"
M.audiences = { "経営者", "全従業員", "管理者・IT担当", "新入社員" }
M.months = { "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月", "1月", "2月", "3月" }
M.review_days = 365
M.topic_months = { 2, 4, 6, 8, 5, 7, 11 }   -- indices into M.months for the year's sessions
M.followup_days = 30         -- who failed the test is followed up within this after visit 3

-- The catalogue: every topic of both banks, in order.
-- A bank's variants go onto its questions as q.medical, q.advisor.
M.catalogue = {}
for _, bank in ipairs { bank_a, bank_b } do
  for _, t in ipairs(bank.topics) do
    for k, by_sector in pairs((bank.variants or {})[t.id] or {}) do
      assert(t.questions[k], t.id .. ": no question " .. k .. " for its variant")
      for sector, v in pairs(by_sector) do t.questions[k][sector] = v end
    end
    M.catalogue[#M.catalogue + 1] = t
  end
end
local topic_by_title = {}
for _, t in ipairs(M.catalogue) do topic_by_title[t.title] = t end

local function blank(v)
  return v == nil or v == ""
end

local function records(ctx, id)
  return ctx.records and ctx.records[id] or {}
end

local input = documents.input_column

-- --- 研修計画シート --------------------------------------------------------------

-- Topics the self-diagnosis points at: an answer other than 実施している on
-- one of the topic's items.
local function weak_items(ctx)
  local weak = {}
  for _, r in ipairs(records(ctx, "self-diagnosis")) do
    if r.answer and r.answer ~= selfdiag.choices[1] then weak[r.no] = true end
  end
  return weak
end

-- How many of the topic's self-diagnosis items are weak.
local function weakness(topic, weak)
  local n = 0
  for _, no in ipairs(topic.selfdiag or {}) do
    if weak[no] then n = n + 1 end
  end
  return n
end

-- Every topic, ◎ where the self-diagnosis shows a weakness; the
-- M.proposed weakest of them proposed for the plan.
M.proposed = 3
local function plan_rows(ctx)
  local weak = weak_items(ctx)
  local ranked = {}
  for i, t in ipairs(M.catalogue) do
    ranked[#ranked + 1] = { i = i, n = weakness(t, weak) }
  end
  table.sort(ranked, function(x, y)
    if x.n ~= y.n then return x.n > y.n end
    return x.i < y.i
  end)
  local propose = {}
  for k = 1, M.proposed do
    if ranked[k] and ranked[k].n > 0 then propose[ranked[k].i] = true end
  end
  local rows = {}
  for i, t in ipairs(M.catalogue) do
    rows[#rows + 1] = {
      topic = t.title, summary = M.in_words(M.sector(ctx), t.summary), mark = weakness(t, weak) > 0 and M.recommended or "",
      choose = propose[i] and M.chosen or M.not_chosen, audience = table.concat(t.audiences, "・"),
      minutes = t.minutes, material = t.material,
    }
  end
  return rows
end

M.plan = worksheet {
  id = "training-plan",
  file = "研修計画シート.xlsx",
  sheet = "研修計画",
  title = "研修計画シート",
  guidance = {
    "研修で取り上げるテーマを選ぶシートです。◎は自社診断で対策が十分でなかった項目に関わるテーマで、特に弱いものは「実施する」にしてあります。"
      .. "◎と「実施する」は自社診断の結果を取り込んだ後に付くので、自社診断と同時にお渡しするシートにはまだありません。",
    "「実施」を選び、実施するテーマの対象者、時間、実施日、講師、教材を記入してください。理解度確認テストは、実施するテーマの問題から作られます。",
  },
  fields = documents.filler_fields(),
  columns = {
    { key = "topic", header = "テーマ", type = "text", required = true, width = 22, wrap = true },
    { key = "summary", header = "内容", type = "text", width = 40, wrap = true },
    { key = "mark", header = "推奨", type = "text", width = 6 },
    input("choose", "実施", "enum", 10, { choices = { M.chosen, M.not_chosen }, required = true }),
    input("audience", "対象", "text", 18, { wrap = true }),
    input("minutes", "時間（分）", "integer", 8),
    input("date", "実施日", "date", 11),
    input("trainer", "講師", "text", 14),
    input("material", "教材", "text", 30, { wrap = true }),
  },
  key = "topic",
  rows = plan_rows,
  fixed_rows = true,
  freeze = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  conditional = { { column = "choose", equals = M.chosen, fill = "#E2EFDA" } },
}

-- The topics the company chose, in the catalogue's order, with its plan row.
function M.chosen_topics(ctx)
  local by_title = {}
  for _, r in ipairs(records(ctx, "training-plan")) do by_title[r.topic] = r end
  local out = {}
  for _, t in ipairs(M.catalogue) do
    local r = by_title[t.title]
    if r and r.choose == M.chosen then out[#out + 1] = { topic = t, plan = r } end
  end
  return out
end

-- --- The company's line of work ------------------------------------------------

-- The information the company's staff handle, after its profile: a clinic's
-- questions speak of 患者情報, an accounting office's of 顧問先情報. `words`
-- replace the banks' general wording (written for a company with customers
-- and suppliers) in the questions, choices, explanations and topic
-- summaries, in order (longer phrases first); where that is not enough a
-- question carries the sector's own wording (the banks' M.variants). `org`
-- names the employer the banks call 会社: 法人 for a 医療法人 or 社会福祉法人,
-- 医院 for a clinic run by one doctor, 事務所 for an office.
local sectors = {
  { id = "medical", info = "患者情報", staff = "役員・職員", people = "職員",
    test = function(c)
      return (c.industry or ""):find("医療", 1, true) or c.kind == "医療法人" or c.kind == "社会福祉法人"
    end,
    words = { { "お客様の個人情報", "患者情報" }, { "顧客の個人情報", "患者情報" }, { "お客様のデータ", "患者データ" },
              { "顧客データ", "患者データ" }, { "顧客名簿", "患者名簿" }, { "顧客リスト", "患者リスト" },
              { "お客様の申込書", "患者さんの問診票" }, { "お客様", "患者さん" }, { "お客のふり", "患者のふり" },
              { "顧客", "患者" }, { "取引先", "取引業者" }, { "客先", "訪問先" }, { "社長", "理事長" },
              { "社員", "職員" } },
    org = function(c)
      local corporate = c.kind == "医療法人" or c.kind == "社会福祉法人" or (c.name or ""):find("法人", 1, true)
      return corporate and "法人" or "医院"
    end },
  { id = "advisor", info = "顧問先情報", staff = "所長・職員", people = "職員",
    test = function(c)
      local s = (c.name or "") .. " " .. (c.notes or "")
      for _, w in ipairs { "会計", "税理士", "社会保険労務士", "社労士", "司法書士", "行政書士", "法律事務所", "顧問先" } do
        if s:find(w, 1, true) then return true end
      end
      return false
    end,
    words = { { "お客様の個人情報", "顧問先情報" }, { "顧客の個人情報", "顧問先情報" }, { "お客様のデータ", "顧問先のデータ" },
              { "顧客データ", "顧問先のデータ" }, { "顧客名簿", "顧問先名簿" }, { "顧客リスト", "顧問先リスト" },
              { "お客様の申込書", "顧問先から預かった書類" }, { "顧客名や金額", "顧問先名や金額" },
              { "お客様や取引先", "顧問先や取引のある会社" }, { "お客様", "顧問先" }, { "お客のふり", "利用者のふり" },
              { "顧客", "顧問先" }, { "取引先", "顧問先" }, { "客先", "顧問先" }, { "社長", "所長" },
              { "社員", "職員" } },
    org = function() return "事務所" end },
}
local general = { id = "general", info = "お客様や取引先の情報", staff = "役員・従業員", people = "従業員", words = {} }

-- 会社 where it means the employer; other companies (鉄道会社, 有名な会社,
-- 小さな会社 …) keep the word. These are replaced by a mark first, the
-- employer's 会社 by the sector's word for its organisation, and the mark
-- back by 会社.
local other_companies = { "鉄道会社", "有名な会社", "小さな会社", "小さい会社", "どの会社", "特定の会社", "払う会社",
                          "思われる会社", "病院や会社", "表示された会社名", "名前と会社名", "知らない会社", "別の会社",
                          "大きな会社", "ほかの会社" }

function M.sector(ctx)
  local c = ctx.company or {}
  for _, s in ipairs(sectors) do
    if s.test(c) then
      if not s.org then return s end
      local org, words = s.org(c), {}
      for _, w in ipairs(s.words) do words[#words + 1] = w end
      words[#words + 1] = { "お宅の会社", "あなたの職場" }
      words[#words + 1] = { "いったん会社に", "いったん職場に" }
      for _, o in ipairs(other_companies) do words[#words + 1] = { o, (o:gsub("会社", "\2")) } end
      words[#words + 1] = { "会社", org }
      words[#words + 1] = { "\2", "会社" }
      local out = { words = words, org = org }
      return setmetatable(out, { __index = s })
    end
  end
  return general
end

function M.in_words(sector, text)
  if type(text) ~= "string" then return text end
  for _, w in ipairs(sector.words) do
    text = text:gsub(w[1], w[2])
  end
  return text
end

-- --- The test ------------------------------------------------------------------

-- A small linear congruential generator: the same seed gives the same
-- numbers on every machine.
local function generator(seed)
  local state = seed % 2147483648
  return function(n)
    state = (1103515245 * state + 12345) % 2147483648
    -- The high bits: the low ones of this generator repeat with a short
    -- period (the lowest two every four draws).
    return (state >> 15) % n + 1
  end
end

local function shuffled(n, rand)
  local order = {}
  for i = 1, n do order[i] = i end
  for i = n, 2, -1 do
    local j = rand(i)
    order[i], order[j] = order[j], order[i]
  end
  return order
end

function M.seed(ctx, session)
  local eng = math.tointeger((ctx.engagement or {}).id) or 0
  return eng * 100 + session
end

-- The questions of session `session` (1 or 2): M.test_length questions shared
-- out over the chosen topics as evenly as their banks allow, grouped by topic;
-- the choices in a drawn order. Session 2 takes questions session 1 did not
-- use first. Each { no, topic, q, choices[4] (text), answer (1-4), why }.
function M.draw(ctx, session)
  local chosen = M.chosen_topics(ctx)
  if #chosen == 0 then return {} end
  local quota, left = {}, M.test_length
  for i = 1, #chosen do quota[i] = 0 end
  local progress = true
  while left > 0 and progress do
    progress = false
    for i, c in ipairs(chosen) do
      if left > 0 and quota[i] < #c.topic.questions then
        quota[i], left, progress = quota[i] + 1, left - 1, true
      end
    end
  end
  local used = {}
  if session > 1 then
    for _, q in ipairs(M.draw(ctx, session - 1)) do used[q.source] = true end
  end
  local rand = generator(M.seed(ctx, session))
  local sector = M.sector(ctx)
  -- Where the right answer goes: every label equally often (as nearly as
  -- the number of questions allows), in a drawn order.
  local places = {}
  for k = 1, M.test_length do places[k] = (k - 1) % #M.labels + 1 end
  local place_order = shuffled(M.test_length, rand)
  local out = {}
  for i, c in ipairs(chosen) do
    local order, fresh, again = shuffled(#c.topic.questions, rand), {}, {}
    for _, k in ipairs(order) do
      local key = c.topic.id .. ":" .. k
      if used[key] then again[#again + 1] = k else fresh[#fresh + 1] = k end
    end
    for _, k in ipairs(again) do fresh[#fresh + 1] = k end
    for n = 1, quota[i] do
      local q = c.topic.questions[fresh[n]]
      local v = q[sector.id] or {}
      local vchoices = v.choices or {}
      local answer = places[place_order[#out + 1]]
      local others = {}
      for from = 1, #q.choices do
        if from ~= q.answer then others[#others + 1] = vchoices[from] or q.choices[from] end
      end
      local perm = shuffled(#others, rand)
      local choices, k = {}, 0
      for pos = 1, #q.choices do
        if pos == answer then
          choices[pos] = vchoices[q.answer] or q.choices[q.answer]
        else
          k = k + 1
          choices[pos] = others[perm[k]]
        end
      end
      for pos, t in ipairs(choices) do choices[pos] = M.in_words(sector, t) end
      out[#out + 1] = { no = #out + 1, topic = c.topic.title, q = M.in_words(sector, v.q or q.q), choices = choices,
                        answer = answer, why = M.in_words(sector, v.why or q.why), source = c.topic.id .. ":" .. fresh[n] }
    end
  end
  return out
end

-- --- 解答用紙 and its result sheets -----------------------------------------------------

local qcols = {}
for k = 1, M.test_length do
  qcols[#qcols + 1] = input("q" .. k, "問" .. k, "enum", 5, { choices = M.labels })
end

local function key_of(k)
  return string.format('INDEX({training-key:q%d},MATCH("正答",{training-key:label},0))', k)
end

local score_terms = {}
for k = 1, M.test_length do
  score_terms[#score_terms + 1] = string.format("IF({q%d}=%s,1,0)", k, key_of(k))
end

local answer_columns = {
  input("no", "No.", "integer", 5),
  input("name", "氏名", "text", 14, { required = true }),
  input("dept", "所属", "text", 12),
  input("audience", "区分", "enum", 12, { choices = M.audiences }),
  input("attend", "出欠", "enum", 7, { choices = { M.present, M.absent }, required = true }),
}
for _, c in ipairs(qcols) do answer_columns[#answer_columns + 1] = c end
answer_columns[#answer_columns + 1] = { key = "score", header = "得点", type = "integer", width = 6,
  formula = string.format('IF({attend}="%s",%s,"")', M.present, table.concat(score_terms, "+")) }
answer_columns[#answer_columns + 1] = input("comment", "感想・質問", "text", 30, { wrap = true })

M.answers = worksheet {
  id = "training-answers",
  file = "理解度確認テスト_解答用紙.xlsx",
  sheet = "解答用紙",
  title = "理解度確認テスト 解答用紙",
  guidance = {
    "受講者1人につき1行、テストの解答（ア〜エ）を書き写してください。欠席者は出欠を「欠席」にします。感想や質問があれば最後の列に書いてください。",
    "得点は「正答」シートと照らして自動で計算されます。問題ごと・テーマごとの正答率は「問題ごとの正答率」「テーマごとの正答率」シートで見られます。",
  },
  fields = documents.filler_fields("記入者", "実施日"),
  columns = answer_columns,
  -- The answers as imported, with the score computed in Lua (the sheet's
  -- formula computes the same).
  rows = function(ctx)
    local rows = {}
    for _, p in ipairs(M.results(ctx).people) do
      local r = {}
      for k, v in pairs(p.row) do r[k] = v end
      r.score = p.score
      rows[#rows + 1] = r
    end
    return rows
  end,
  refresh = true,
  min_rows = 30,
  freeze = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  book = { "training-key", "training-results", "training-topics" },
}

local key_columns = { { key = "label", header = "区分", type = "text", width = 8 } }
for k = 1, M.test_length do
  key_columns[#key_columns + 1] = { key = "q" .. k, header = "問" .. k, type = "text", width = 10, wrap = true }
end

M.key = worksheet {
  id = "training-key",
  output = true,
  sheet = "正答",
  title = "理解度確認テストの正答",
  guidance = { "解答用紙の得点は、この表の「正答」の行と照らして計算されます。" },
  columns = key_columns,
  rows = function(ctx)
    local answers, topics = { label = "正答" }, { label = "テーマ" }
    for _, q in ipairs(M.draw(ctx, 1)) do
      answers["q" .. q.no] = M.labels[q.answer]
      topics["q" .. q.no] = q.topic
    end
    return { answers, topics }
  end,
  print = { landscape = true, fit_width = true },
}

-- Scores and rates from the imported answers, in Lua (the sheets compute
-- the same with formulas).
function M.results(ctx)
  local questions = M.draw(ctx, 1)
  local people, attended = {}, 0
  local correct = {}
  for _, q in ipairs(questions) do correct[q.no] = 0 end
  for _, r in ipairs(records(ctx, "training-answers")) do
    local score = nil
    if r.attend == M.present then
      attended = attended + 1
      score = 0
      for _, q in ipairs(questions) do
        if r["q" .. q.no] == M.labels[q.answer] then
          score = score + 1
          correct[q.no] = correct[q.no] + 1
        end
      end
    end
    people[#people + 1] = { row = r, score = score }
  end
  local rates = {}
  for _, q in ipairs(questions) do
    rates[q.no] = attended > 0 and correct[q.no] / attended or nil
  end
  local topics, order = {}, {}
  for _, q in ipairs(questions) do
    local t = topics[q.topic]
    if not t then
      t = { title = q.topic, questions = 0, correct = 0 }
      topics[q.topic] = t
      order[#order + 1] = t
    end
    t.questions = t.questions + 1
    t.correct = t.correct + correct[q.no]
  end
  for _, t in ipairs(order) do
    t.rate = attended > 0 and t.correct / (attended * t.questions) or nil
  end
  return { questions = questions, people = people, attended = attended, rates = rates, topics = order }
end

local flag_colours = { { column = "flag", equals = M.flag, fill = "#F8CBAD" } }

M.question_results = worksheet {
  id = "training-results",
  output = true,
  sheet = "問題ごとの正答率",
  title = "問題ごとの正答率",
  guidance = { string.format("出席者のうち正解した人の割合です（計算式）。%d%%未満の問題に「%s」と表示します。",
    math.floor(M.threshold * 100 + 0.5), M.flag) },
  fields = { { label = "会社名", value = "company.name" } },
  columns = {
    { key = "no", header = "問", type = "integer", width = 5 },
    { key = "topic", header = "テーマ", type = "text", width = 22, wrap = true },
    { key = "question", header = "問題", type = "text", width = 50, wrap = true },
    { key = "correct", header = "正答", type = "text", width = 6 },
    { key = "rate", header = "正答率", type = "number", width = 9, format = "0.0%",
      formula = string.format('IF(COUNTIF({training-answers:attend},"%s")=0,"",COUNTIFS(OFFSET({training-answers:q1},0,{no}-1),{correct},{training-answers:attend},"%s")/COUNTIF({training-answers:attend},"%s"))',
        M.present, M.present, M.present) },
    { key = "flag", header = "判定", type = "text", width = 8,
      formula = string.format('IF({rate}="","",IF({rate}<%s,"%s",""))', tostring(M.threshold), M.flag) },
  },
  rows = function(ctx)
    local res = M.results(ctx)
    local rows = {}
    for _, q in ipairs(res.questions) do
      local rate = res.rates[q.no]
      rows[#rows + 1] = { no = q.no, topic = q.topic, question = q.q, correct = M.labels[q.answer], rate = rate,
                          flag = rate and rate < M.threshold and M.flag or "" }
    end
    return rows
  end,
  print = { landscape = true, fit_width = true, repeat_header = true },
  conditional = flag_colours,
}

M.topic_results = worksheet {
  id = "training-topics",
  output = true,
  sheet = "テーマごとの正答率",
  title = "テーマごとの正答率",
  guidance = { string.format("テーマの問題の正答率の平均です（計算式）。%d%%未満のテーマは次の研修で取り上げ直します。",
    math.floor(M.threshold * 100 + 0.5)) },
  fields = { { label = "会社名", value = "company.name" } },
  columns = {
    { key = "topic", header = "テーマ", type = "text", width = 26, wrap = true },
    { key = "questions", header = "問題数", type = "integer", width = 8 },
    { key = "rate", header = "正答率", type = "number", width = 9, format = "0.0%",
      formula = 'IFERROR(AVERAGEIF({training-results:topic},{topic},{training-results:rate}),"")' },
    { key = "flag", header = "判定", type = "text", width = 8,
      formula = string.format('IF({rate}="","",IF({rate}<%s,"%s",""))', tostring(M.threshold), M.flag) },
  },
  rows = function(ctx)
    local rows = {}
    for _, t in ipairs(M.results(ctx).topics) do
      rows[#rows + 1] = { topic = t.title, questions = t.questions, rate = t.rate,
                          flag = t.rate and t.rate < M.threshold and M.flag or "" }
    end
    return rows
  end,
  print = { landscape = false, fit_width = true },
  conditional = flag_colours,
  charts = {
    { type = "column", title = "テーマごとの正答率", categories = "topic", values = "rate", max = 1,
      format = "0%", anchor = "F3", width = 480, height = 300 },
  },
}

-- --- 年間教育計画 --------------------------------------------------------------------

local function visit3(ctx)
  return documents.visit_date_or_today(ctx, 3)
end

-- The fiscal year (April to March) that starts after visit 3.
local function plan_year(ctx)
  local y, m = visit3(ctx):match("^(%d+)%-(%d+)")
  y, m = tonumber(y), tonumber(m)
  return m >= 4 and y + 1 or y
end

-- Who teaches a session the plan sheet gives no trainer: the company's
-- contact as its education lead, else the engagement's expert.
local function default_trainer(ctx)
  local c, e = ctx.company or {}, ctx.expert or {}
  if not blank(c.contact_name) then
    return (blank(c.contact_role) and "" or (c.contact_role .. " ")) .. c.contact_name .. "（教育の担当者）"
  end
  if not blank(e.name) then return e.name .. "（支援専門家）" end
  return "教育の担当者"
end

local function owner_of(ctx)
  local c = ctx.company or {}
  if blank(c.contact_name) then return "（未定）" end
  return (blank(c.contact_role) and "" or (c.contact_role .. " ")) .. c.contact_name
end

-- The activities of the year: { title, kind, audience, months = { index… } }.
function M.year_activities(ctx)
  local owner = owner_of(ctx)
  local list = {
    { title = "新入社員研修（情報セキュリティの基本）", kind = "研修", audience = "新入社員", months = { 1 } },
  }
  local chosen = M.chosen_topics(ctx)
  local res = records(ctx, "training-answers")[1] and M.results(ctx) or nil
  local weak = {}
  for _, t in ipairs(res and res.topics or {}) do
    if t.rate and t.rate < M.threshold then weak[t.title] = true end
  end
  -- One topic a month, the weak ones first: 5月, 7月, 9月, 11月, then
  -- the months the drill, the second test, new hires and the review leave
  -- free (8月, 10月, 2月), then round again.
  local order = {}
  for _, c in ipairs(chosen) do
    if weak[c.topic.title] then order[#order + 1] = c end
  end
  for _, c in ipairs(chosen) do
    if not weak[c.topic.title] then order[#order + 1] = c end
  end
  local sessions = {}
  for i, c in ipairs(order) do
    local month = M.topic_months[(i - 1) % #M.topic_months + 1]
    sessions[#sessions + 1] = { title = c.topic.title .. (weak[c.topic.title] and "（復習を重点に）" or ""), kind = "研修",
                                audience = c.plan.audience or "全従業員", months = { month }, i = i }
  end
  -- Listed in the order of the year.
  table.sort(sessions, function(x, y)
    if x.months[1] ~= y.months[1] then return x.months[1] < y.months[1] end
    return x.i < y.i
  end)
  for _, a in ipairs(sessions) do
    a.i = nil
    list[#list + 1] = a
  end
  list[#list + 1] = { title = "標的型メール訓練", kind = "訓練", audience = "全従業員", months = { 3, 9 } }
  list[#list + 1] = { title = "理解度確認テスト（別問題）と振り返り", kind = "確認", audience = "全従業員", months = { 10 } }
  list[#list + 1] = { title = "自社診断（25項目）で効果を確かめる", kind = "確認", audience = "経営者・管理者", months = { 6 } }
  list[#list + 1] = { title = "IPAの教材での自習（5分のポイント学習など）", kind = "自習", audience = "全従業員",
                      months = { 2, 4, 6, 8, 10, 12 } }
  list[#list + 1] = { title = "年間教育計画の見直し", kind = "見直し", audience = "経営者・管理者", months = { 12 } }
  for _, a in ipairs(list) do a.owner = owner end
  return list
end

local year_columns = {
  { key = "title", header = "取り組み", type = "text", width = 34, wrap = true },
  { key = "kind", header = "種類", type = "text", width = 8 },
  { key = "audience", header = "対象", type = "text", width = 14, wrap = true },
  { key = "owner", header = "担当", type = "text", width = 14, wrap = true },
}
local year_marks = {}
for k, label in ipairs(M.months) do
  year_columns[#year_columns + 1] = { key = "m" .. k, header = label, type = "text", width = 5 }
  year_marks[#year_marks + 1] = { column = "m" .. k, equals = "●", fill = "#9BC2E6" }
end

M.year = worksheet {
  id = "training-year",
  output = true,
  file = "年間教育計画.xlsx",
  sheet = "年間教育計画",
  title = "年間教育計画",
  guidance = { "翌年度（4月〜3月）の教育の予定です。●の月に実施します。" },
  fields = { { label = "会社名", value = "company.name" } },
  columns = year_columns,
  rows = function(ctx)
    local rows = {}
    for _, a in ipairs(M.year_activities(ctx)) do
      local r = { title = a.title, kind = a.kind, audience = a.audience, owner = a.owner }
      for _, m in ipairs(a.months) do r["m" .. m] = "●" end
      rows[#rows + 1] = r
    end
    return rows
  end,
  print = { landscape = true, fit_width = true, repeat_header = true },
  conditional = year_marks,
}

-- --- Documents --------------------------------------------------------------------

local percent = documents.percent

-- How the company's own documents name it: 自社, 当法人, 当院, 当事務所.
local function own_org(ctx)
  local org = M.sector(ctx).org
  if not org then return "自社" end
  return org == "医院" and "当院" or ("当" .. org)
end

-- A question's or topic's correct rate in whole percent, rounded down, so
-- that a rate flagged as under the threshold never reads as the threshold
-- itself (16 of 23 is 69%, not 70%).
local function rate_text(rate)
  return rate and string.format("%d%%", math.floor(rate * 100 + 1e-9)) or "—"
end

-- Context (templates/training/研修計画書.docx): company, date, expert,
--   purpose, sessions[] { no, title, summary, audience, minutes, date,
--   trainer, material }, audiences[] { name, topics, note }, total_minutes,
--   test { questions, topics, threshold, timing }, schedule_note, people (職員
--   or 従業員, after the company's line of work)
function M.plan_context(ctx)
  local c = ctx.company or {}
  local sessions, total, per_audience, order = {}, 0, {}, {}
  -- A session the plan sheet leaves without a trainer or a date is not
  -- printed as undecided: the trainer is the company's contact, its
  -- education lead (the expert where the profile names none), and the date
  -- the second visit, where the programme holds the training; both are
  -- stated as such and the note below says they may still change.
  local lead = default_trainer(ctx)
  local organiser = blank(c.contact_name) and "教育の担当者"
    or ((blank(c.contact_role) and "" or (c.contact_role .. " ")) .. c.contact_name)
  local v2 = documents.visit_date_of(ctx, 2)
  local v2_date = v2 and (documents.wareki(v2) .. "（第2回訪問）") or "第2回訪問の日"
  local defaulted = false
  for i, ch in ipairs(M.chosen_topics(ctx)) do
    local p = ch.plan
    total = total + (math.tointeger(p.minutes) or 0)
    defaulted = defaulted or blank(p.date) or blank(p.trainer)
    sessions[#sessions + 1] = {
      no = i, title = ch.topic.title, summary = M.in_words(M.sector(ctx), ch.topic.summary), audience = p.audience or "",
      minutes = p.minutes or "", date = not blank(p.date) and documents.wareki(p.date) or v2_date,
      trainer = blank(p.trainer) and lead or p.trainer, material = p.material or "",
    }
    -- Audiences are separated by ・, 、 or a comma (multi-byte: replaced
    -- first, not put into a character class); 管理者・IT担当 is one
    -- audience, kept whole through the split.
    local list = (p.audience or ""):gsub("管理者・IT担当", "\1"):gsub("・", ","):gsub("、", ",")
    for name in list:gsub("\1", "管理者・IT担当"):gmatch("[^,]+") do
      if not per_audience[name] then
        per_audience[name] = {}
        order[#order + 1] = name
      end
      table.insert(per_audience[name], ch.topic.title)
    end
  end
  local audiences = {}
  for _, name in ipairs(order) do
    audiences[#audiences + 1] = { name = name, topics = table.concat(per_audience[name], "、"),
                                  note = name == "新入社員" and "入社時の研修で受講" or "" }
  end
  local titles = {}
  for _, s in ipairs(sessions) do titles[#titles + 1] = s.title end
  return {
    company = { name = c.name }, date = documents.wareki(documents.visit_date_or_today(ctx, 1)),
    expert = { name = (ctx.expert or {}).name },
    purpose = string.format("%sの%sが、%sをはじめとする情報を扱う日々の仕事の中で情報セキュリティの危険に気付き、"
      .. "正しく行動できるようにすることを目的とします。自社診断の結果から、特に身に付けてほしいテーマを選びました。",
      c.name or "当社", M.sector(ctx).staff, M.sector(ctx).info),
    sessions = sessions, audiences = audiences, total_minutes = total, people = M.sector(ctx).people,
    test = { questions = #M.draw(ctx, 1), topics = table.concat(titles, "、"),
             threshold = percent(M.pass_rate), timing = "各テーマの研修の最後に、10分程度で行います" },
    schedule_note = (defaulted and "研修計画シートで実施日を決めていないテーマは第2回訪問の日に、講師を決めていないテーマは"
        .. lead .. "が受け持つものとして記載しました。次回の訪問までに確定します。" or "")
      .. string.format("受講者への案内と、会場・機材（プロジェクター、スピーカーなど）の準備は%sが行います。", organiser)
      .. (blank((ctx.expert or {}).name) and "" or string.format("研修資料と理解度確認テストは%sが用意し、研修の前に送ります。",
        ctx.expert.name))
      .. "欠席者には別問題のテストと資料で補講を行います。",
  }
end

local function test_title(session)
  return session == 1 and "第1回" or "第2回（別問題）"
end

local function test_code(ctx, session)
  return string.format("T-%d", M.seed(ctx, session))
end

local function test_context(ctx, session)
  local c = ctx.company or {}
  local questions = {}
  for _, q in ipairs(M.draw(ctx, session)) do
    local choices = {}
    for i, t in ipairs(q.choices) do choices[i] = { label = M.labels[i], text = t } end
    questions[#questions + 1] = { no = q.no, topic = q.topic, q = q.q, choices = choices }
  end
  return {
    company = { name = c.name }, title = "情報セキュリティ理解度確認テスト", session_label = test_title(session),
    date = "", minutes = 10, code = test_code(ctx, session), questions = questions,
  }
end

local function key_context(ctx, session)
  local c = ctx.company or {}
  local keys, answers = {}, {}
  for _, q in ipairs(M.draw(ctx, session)) do
    keys[#keys + 1] = { no = q.no, answer = M.labels[q.answer] }
    answers[#answers + 1] = { no = q.no, topic = q.topic, q = q.q, answer = M.labels[q.answer],
                              answer_text = q.choices[q.answer], why = q.why }
  end
  return {
    company = { name = c.name }, title = "情報セキュリティ理解度確認テスト", session_label = test_title(session),
    code = test_code(ctx, session), keys = keys, answers = answers,
  }
end

-- Context (templates/training/教育実施結果レビュー.docx): company, date, expert,
--   summary { planned, attended, absent, rate, average, pass_line, passed, text },
--   people[] { no, name, dept, audience, attend, score, percent },
--   questions[] { no, topic, rate, flag }, topics[] { title, rate, flag },
--   weak[] { title, rate, advice }, has_weak, feedback[] { name, text },
--   has_feedback, changes[]
function M.review_context(ctx)
  local c = ctx.company or {}
  local res = M.results(ctx)
  local n = #res.questions
  local people, feedback, sum, passed = {}, {}, 0, 0
  for i, p in ipairs(res.people) do
    local r = p.row
    if p.score then
      sum = sum + p.score
      if n > 0 and p.score / n >= M.pass_rate then passed = passed + 1 end
    end
    people[#people + 1] = {
      no = r.no or i, name = r.name, dept = r.dept or "", audience = r.audience or "", attend = r.attend,
      score = p.score or "—", percent = p.score and n > 0 and percent(p.score / n) or "—",
    }
    if not blank(r.comment) then feedback[#feedback + 1] = { name = r.name, text = r.comment } end
  end
  local questions = {}
  for _, q in ipairs(res.questions) do
    local rate = res.rates[q.no]
    questions[#questions + 1] = { no = q.no, topic = q.topic, rate = rate_text(rate),
                                  flag = rate and rate < M.threshold and M.flag or "" }
  end
  local topics, weak = {}, {}
  for _, t in ipairs(res.topics) do
    local low = t.rate and t.rate < M.threshold
    topics[#topics + 1] = { title = t.title, rate = rate_text(t.rate), flag = low and M.flag or "" }
    if low then
      -- The topic's questions under the threshold, by number and rate.
      local low_qs = {}
      for _, q in ipairs(res.questions) do
        local rate = res.rates[q.no]
        if q.topic == t.title and rate and rate < M.threshold then
          low_qs[#low_qs + 1] = string.format("問%d（%s）", q.no, rate_text(rate))
        end
      end
      weak[#weak + 1] = { title = t.title, rate = rate_text(t.rate),
        advice = string.format("%sの解説を使って短い補習を行い、翌年度の計画で最初に取り上げます。",
          table.concat(low_qs, "、")) }
    end
  end
  local planned = #res.people
  local average = res.attended > 0 and sum / res.attended or nil
  local text = string.format("対象者%d名のうち%d名が受講し、理解度確認テスト（%d問）の平均点は%s点でした。",
    planned, res.attended, n, average and string.format("%.1f", average) or "—")
  local staff_count = math.tointeger(c.employees)
  if staff_count and planned < staff_count then
    text = string.format("%s%d名のうち、今回の研修の対象者は%d名です。ほかの%s%d名は、年間教育計画に沿って受講します。",
      M.sector(ctx).people, staff_count, planned, M.sector(ctx).people, staff_count - planned) .. text
  end
  text = text .. (#weak > 0 and string.format("正答率が%s未満のテーマが%d件あり、補習と来年度の計画で取り上げます。",
    percent(M.threshold), #weak) or "すべてのテーマで正答率が目安に達しました。")
  local changes = {
    "欠席者には、別問題のテストと資料を使って補講を行います。",
    string.format("研修の中で、%sに実際に届いた不審なメールや、身近な事例を増やします。", own_org(ctx)),
    "テストの解説を研修資料の最後に載せ、受講後に読み返せるようにします。",
  }
  for _, w in ipairs(weak) do
    table.insert(changes, 1, string.format("「%s」は、説明と確認の時間を増やして再度取り上げます。", w.title))
  end
  -- Who did not reach the pass line is followed up by name: by whom, how
  -- and by when.
  local failed, pass_count = {}, math.ceil(n * M.pass_rate - 1e-9)
  for _, p in ipairs(res.people) do
    if p.score and p.score < pass_count then failed[#failed + 1] = p.row.name end
  end
  if #failed > 0 then
    local c0 = ctx.company or {}
    local who = blank(c0.contact_name) and "教育の担当者" or owner_of(ctx)
    text = text .. string.format(
      "得点が合格ライン（%d問中%d問）に届かなかった%d名（%s）には、%sが%sまでに、"
        .. "別問題の理解度確認テストとその解説を使った補講を行い、結果を解答用紙に記録します。",
      n, pass_count, #failed, table.concat(failed, "、"), who,
      documents.wareki(documents.add_days(visit3(ctx), M.followup_days)))
  end
  return {
    company = { name = c.name }, date = documents.wareki(visit3(ctx)), expert = { name = (ctx.expert or {}).name },
    summary = { planned = planned, attended = res.attended, absent = planned - res.attended,
                rate = planned > 0 and percent(res.attended / planned) or "—",
                average = average and string.format("%.1f / %d", average, n) or "—",
                pass_line = string.format("%s（%d問中%d問）", percent(M.pass_rate), n, math.ceil(n * M.pass_rate - 1e-9)),
                passed = passed, text = text },
    people = people, questions = questions, topics = topics, weak = weak, has_weak = #weak > 0,
    feedback = feedback, has_feedback = #feedback > 0, changes = changes,
  }
end

-- Context (templates/training/年間教育計画書.docx): company, date, expert,
--   year_label, activities[] { title, kind, months, audience, owner },
--   months[] { label, items }, review { date, owner }, staff (役員・職員 …),
--   people (職員 or 従業員)
function M.year_context(ctx)
  local c = ctx.company or {}
  local y = plan_year(ctx)
  local acts = M.year_activities(ctx)
  local activities, by_month = {}, {}
  for _, a in ipairs(acts) do
    local labels = {}
    for _, m in ipairs(a.months) do
      labels[#labels + 1] = M.months[m]
      by_month[m] = by_month[m] or {}
      table.insert(by_month[m], a.title)
    end
    activities[#activities + 1] = { title = a.title, kind = a.kind, months = table.concat(labels, "・"),
                                    audience = a.audience, owner = a.owner }
  end
  local months = {}
  for m, label in ipairs(M.months) do
    months[#months + 1] = { label = label, items = table.concat(by_month[m] or { "—" }, "\n") }
  end
  return {
    company = { name = c.name }, date = documents.wareki(visit3(ctx)), expert = { name = (ctx.expert or {}).name },
    year_label = string.format("%s度（%d年4月〜%d年3月）", documents.wareki(string.format("%d-04-01", y)):match("^(.-年)"),
      y, y + 1),
    activities = activities, months = months, staff = M.sector(ctx).staff, people = M.sector(ctx).people,
    review = { date = documents.month(string.format("%d-03-01", y + 1)), owner = owner_of(ctx) },
  }
end

M.docs = {
  plan_sheet = document {
    id = "training-plan", title = "研修計画シート", file = "研修計画シート.xlsx", worksheet = "training-plan",
    role = "pack", visits = { 1 },
  },
  plan = document {
    id = "training-plan-doc", title = "研修計画書", file = "研修計画書.docx", template = "training/研修計画書.docx",
    role = "report", visits = { 1 }, requires = "held", needs = { "training-plan" }, context = M.plan_context,
  },
  test = document {
    id = "training-test", title = "理解度確認テスト", file = "理解度確認テスト.docx",
    template = "training/理解度確認テスト.docx", role = "pack", visits = { 2 }, needs = { "training-plan" },
    context = function(ctx) return test_context(ctx, 1) end,
  },
  key = document {
    id = "training-test-key", title = "理解度確認テスト 解答と解説", file = "理解度確認テスト_解答と解説.docx",
    template = "training/理解度確認テスト_解答.docx", role = "pack", visits = { 2 }, needs = { "training-plan" },
    context = function(ctx) return key_context(ctx, 1) end,
  },
  answers = document {
    id = "training-answers", title = "理解度確認テスト 解答用紙", file = "理解度確認テスト_解答用紙.xlsx",
    worksheet = "training-answers", role = "pack", visits = { 2 }, needs = { "training-plan" },
  },
  test2 = document {
    id = "training-test-2", title = "理解度確認テスト（別問題）", file = "理解度確認テスト_別問題.docx",
    template = "training/理解度確認テスト.docx", role = "pack", visits = { 3 }, needs = { "training-plan" },
    context = function(ctx) return test_context(ctx, 2) end,
  },
  key2 = document {
    id = "training-test-key-2", title = "理解度確認テスト（別問題）解答と解説", file = "理解度確認テスト_別問題_解答と解説.docx",
    template = "training/理解度確認テスト_解答.docx", role = "pack", visits = { 3 }, needs = { "training-plan" },
    context = function(ctx) return key_context(ctx, 2) end,
  },
  review = document {
    id = "training-review", title = "教育実施結果レビュー", file = "教育実施結果レビュー.docx",
    template = "training/教育実施結果レビュー.docx", role = "pack", visits = { 3 }, needs = { "training-answers" },
    context = M.review_context,
  },
  results = document {
    id = "training-results", title = "理解度確認テスト 結果", file = "理解度確認テスト_結果.xlsx",
    worksheet = "training-answers", role = "pack", visits = { 3 }, needs = { "training-answers" },
  },
  year = document {
    id = "training-year", title = "年間教育計画", file = "年間教育計画.xlsx", worksheet = "training-year",
    role = "report", visits = { 3 }, requires = "held", needs = { "training-plan" },
  },
  year_doc = document {
    id = "training-year-doc", title = "年間教育計画書", file = "年間教育計画書.docx",
    template = "training/年間教育計画書.docx", role = "report", visits = { 3 }, requires = "held",
    needs = { "training-plan" }, context = M.year_context,
  },
}

return M
