-- The post-guidance questionnaires as worksheets: the company's form
-- (survey_company.lua) and the expert's form for one engagement
-- (survey_expert.lua, M.engagement), written from the questionnaire data and
-- checked on import from the same data. One row a question; a question of
-- several answers takes one row a choice, marked ○; a choice that asks for
-- details takes a row of its own for them. A follow-up's 記入 cell reads
-- 「該当なし」 until the answer it follows makes it apply.
local company = require "survey_company"
local expert = require "survey_expert"
local dates = require "dates"

local M = {}

M.mark = "○"
local required_word, optional_word = "必須", "任意"
local applies_word, not_applicable_word = "回答してください", "該当なし"
local grey = "#D9D9D9"
local skip_line = "「記入」が「該当なし」の設問は、前の設問の回答により答える必要がありません。"

-- The row id of choice i of multi question q, and of q's details.
local function choice_id(q, i) return q.id .. "." .. i end
local function other_id(q) return q.id .. ".other" end

-- Where a question's answer stands, as a formula's condition: q's answer
-- equals one of `any` (for a multi question, any of those choices marked).
local function condition(questions, when)
  local q = questions[when.q]
  local parts = {}
  for _, want in ipairs(when.any) do
    if q.type == "multi" then
      for i, c in ipairs(q.choices) do
        if c == want then
          parts[#parts + 1] = '{answer@' .. choice_id(q, i) .. '}="' .. M.mark .. '"'
        end
      end
    else
      parts[#parts + 1] = '{answer@' .. q.id .. '}="' .. want .. '"'
    end
  end
  return "OR(" .. table.concat(parts, ",") .. ")"
end

-- Every question of a questionnaire by id, and in order.
local function index(form)
  local by, order = {}, {}
  for _, part in ipairs(form.parts) do
    for _, q in ipairs(part.questions) do
      by[q.id] = q
      order[#order + 1] = q
    end
  end
  return by, order
end

-- The 記入 cell: 必須/任意, or for a follow-up a formula that says whether
-- it applies.
local function applies(by, q)
  if q.when then
    return "IF(" .. condition(by, q.when) .. ',"' .. applies_word .. '","'
      .. not_applicable_word .. '")'
  end
  return nil
end

-- What the 記入 cell shows as written: a follow-up does not apply yet (the
-- form is blank), so that a reader that does not recalculate shows that too.
local function need(q)
  if q.when then return not_applicable_word end
  return q.required and required_word or optional_word
end

-- What the company or the expert already told bansou: the theme's choice,
-- the company's or the expert's name.
local function prefilled(q, ctx)
  if q.prefill == "company_name" then return ctx.company and ctx.company.name end
  if q.prefill == "expert_name" then return ctx.expert and ctx.expert.name end
  if q.prefill == "theme" and ctx.theme then
    -- a choice among the five themes, or the theme's title written out
    return q.theme_choice and q.theme_choice[ctx.theme.id] or ctx.theme.title
  end
  return nil
end

-- The rows of the form.
local function rows_of(form, ctx)
  local by, _ = index(form)
  local rows = {}
  for _, part in ipairs(form.parts) do
    local first = true
    local function add(r)
      if first then r.part = part.title; first = false end
      rows[#rows + 1] = r
    end
    for _, q in ipairs(part.questions) do
      local fill = prefilled(q, ctx)
      if q.type == "multi" then
        for i, c in ipairs(q.choices) do
          add { id = choice_id(q, i), no = i == 1 and q.label or nil,
                question = i == 1 and q.text or nil, choice = c,
                choices = { M.mark }, need = i == 1 and need(q) or nil,
                applies = i == 1 and applies(by, q) or nil }
        end
      elseif q.type == "single" then
        add { id = q.id, no = q.label, question = q.text, choice = "▼ 一覧から選択",
              choices = q.choices, answer = fill, need = need(q), applies = applies(by, q) }
      elseif q.type == "number" then
        add { id = q.id, no = q.label, question = q.text,
              choice = "数字で記入" .. (q.unit and ("（" .. q.unit .. "）") or ""),
              answer = fill, need = need(q), applies = applies(by, q) }
      else
        add { id = q.id, no = q.label, question = q.text, choice = "自由記述",
              answer = fill, need = need(q), applies = applies(by, q) }
      end
      if q.other then
        add { id = other_id(q), question = "「" .. q.other .. "」の内容", choice = "自由記述",
              need = optional_word }
      end
    end
  end
  return rows
end

-- The answers of a form's rows as imported: row id → the answer's text,
-- the empty ones left out; nil when no row came back.
local function answers_by_id(rows)
  if not rows or #rows == 0 then return nil end
  local a = {}
  for _, r in ipairs(rows) do
    if r.answer ~= nil and tostring(r.answer) ~= "" then a[r.id] = tostring(r.answer) end
  end
  return a
end

-- What is wrong with the answers read back, each at its row and column:
-- an answer that is not a choice, a follow-up answered although it does
-- not apply, more choices than allowed, a number that is not one, a
-- required answer left empty, details of a choice not chosen.
local function check_answers(form, answer)
  local by, order = index(form)
  local problems = {}
  local function bad(id, msg) problems[#problems + 1] = { row = id, column = "answer", message = msg } end
  local function name(q) return q.label or q.id end
  -- The answers of q: a list of choice texts (multi), or the one text.
  local function chosen(q)
    if q.type ~= "multi" then return answer[q.id] and { answer[q.id] } or {} end
    local out = {}
    for i, c in ipairs(q.choices) do
      if answer[choice_id(q, i)] then out[#out + 1] = c end
    end
    return out
  end
  local function holds(when)
    for _, got in ipairs(chosen(by[when.q])) do
      for _, want in ipairs(when.any) do
        if got == want then return true end
      end
    end
    return false
  end
  for _, q in ipairs(order) do
    local applies_now = not q.when or holds(q.when)
    local got = chosen(q)
    local first = q.type == "multi" and choice_id(q, 1) or q.id
    if q.type == "multi" then
      for i, c in ipairs(q.choices) do
        local v = answer[choice_id(q, i)]
        if v and v ~= M.mark then
          bad(choice_id(q, i), string.format("%s「%s」: 選ぶときは「%s」を記入してください（「%s」）", name(q), c, M.mark, v))
        end
      end
      if q.max and #got > q.max then
        bad(first, string.format("%s: 選べるのは%d個までです（%d個に○）", name(q), q.max, #got))
      end
    elseif q.type == "single" and answer[q.id] then
      local ok = false
      for _, c in ipairs(q.choices) do ok = ok or c == answer[q.id] end
      if not ok then
        bad(q.id, string.format("%s: 「%s」は選択肢にありません（%s）", name(q), answer[q.id], table.concat(q.choices, "／")))
      end
    elseif q.type == "number" and answer[q.id] then
      local n = tonumber((answer[q.id]:gsub("[,，円]", "")))
      if not n then
        bad(q.id, string.format("%s: 「%s」は数字ではありません", name(q), answer[q.id]))
      elseif q.min and n < q.min then
        bad(q.id, string.format("%s: %sより小さい数は記入できません", name(q), q.min))
      end
    end
    if not applies_now and #got > 0 then
      local w = by[q.when.q]
      local was = chosen(w)
      bad(first, string.format("%s: %sで「%s」を選んだときだけ回答します（%sの回答: %s）", name(q), name(w),
        table.concat(q.when.any, "」「"), name(w), #was > 0 and ("「" .. table.concat(was, "」「") .. "」") or "なし"))
    elseif applies_now and q.required and #got == 0 then
      bad(first, string.format("%s: 回答がありません（必須）", name(q)))
    end
    if q.other and answer[other_id(q)] then
      local picked = false
      for _, c in ipairs(got) do picked = picked or c == q.other end
      if not picked then
        bad(other_id(q), string.format("%s: 「%s」を選んでいないのに内容が書かれています", name(q), q.other))
      end
    end
  end
  return problems
end

local function check_form(form, rows)
  return check_answers(form, answers_by_id(rows) or {})
end

local function sheet(form, spec)
  return worksheet {
    id = spec.id,
    file = spec.file,
    sheet = spec.sheet,
    title = form.title,
    guidance = spec.guidance,
    fields = spec.fields,
    columns = {
      { key = "id", header = "ID", type = "text", width = 9 },
      { key = "no", header = "番号", type = "text", width = 9 },
      { key = "question", header = "設問", type = "text", wrap = true, width = 44 },
      { key = "choice", header = "選択肢", type = "text", wrap = true, width = 30 },
      { key = "answer", header = "回答", type = "text", input = true, wrap = true, width = 30,
        choices_from = "choices",
        help = "▼の一覧から選ぶか、○や内容を記入してください。" },
      { key = "need", header = "記入", type = "text", width = 14, formula_from = "applies" },
    },
    key = "id",
    band = "part",
    after_close = true,  -- it comes back after the engagement ended
    rows = function(ctx) return rows_of(form, ctx) end,
    fixed_rows = true,
    freeze = true,
    print = { landscape = false, fit_width = true, repeat_header = true },
    protect = true,
    conditional = {
      { column = "need", equals = not_applicable_word, fill = grey },
    },
    check = function(rows) return check_form(form, rows) end,
  }
end

M.company = sheet(company, {
  id = "survey-company",
  file = "指導先企業アンケート.xlsx",
  sheet = "企業アンケート",
  guidance = {
    company.intro,
    "「回答」の列に記入してください。▼の付いた設問は一覧から一つ選び、複数選べる設問は選ぶ選択肢の行に「○」を記入します。",
    skip_line .. "空欄のままにしてください。",
  },
  fields = {
    { label = "会社名", value = "company.name" },
    { label = "指導テーマ", value = "theme.title" },
    { label = "指導の状況", value = function(ctx)
        local e = ctx.engagement or {}
        if e.state == "terminated" then
          local reason = e.reason and e.reason ~= "" and e.reason or "記録なし"
          return "予定の訪問を終える前に終了しました（理由：" .. reason .. "）"
        end
        return string.format("全%d回の訪問", #(ctx.steps or {}))
      end },
    dates.field("作成日"),
  },
})

M.expert = sheet(expert.engagement, {
  id = "survey-expert",
  file = "指導専門家アンケート_企業別.xlsx",
  sheet = "専門家アンケート",
  guidance = {
    "指導した企業ごとにお答えください。「回答」の列に記入し、▼の付いた設問は一覧から一つ選び、複数選べる設問は選ぶ選択肢の行に「○」を記入します。",
    skip_line,
  },
  fields = {
    { label = "指導先企業", value = "company.name" },
    { label = "指導テーマ", value = "theme.title" },
    { label = "専門家", value = "expert.name" },
    dates.field("作成日"),
  },
})

-- The expert's overall questionnaire, once per expert and fiscal year (of
-- no one engagement): `bansou survey form --expert E --year FY`, read back
-- with `bansou survey import`. Its context: { expert, year, today }.
M.overall_sheet = sheet(expert.overall, {
  id = "survey-overall",
  file = "指導専門家アンケート.xlsx",
  sheet = "専門家アンケート_全体",
  guidance = {
    "年度ごとに一度お答えください。「回答」の列に記入し、▼の付いた設問は一覧から一つ選び、複数選べる設問は選ぶ選択肢の行に「○」を記入します。",
    skip_line,
  },
  fields = {
    { label = "専門家", value = "expert.name" },
    { label = "年度", value = function(ctx)
        return string.format("%d年度（%d年4月〜%d年3月）", ctx.year, ctx.year, ctx.year + 1)
      end },
    dates.field("作成日"),
  },
})

-- The forms as documents: the company's goes in the pack of the last
-- visit, the expert's with the expert's own papers for it.
M.docs = {
  company = document {
    id = "survey-company",
    title = "指導先企業アンケート",
    file = M.company.file,
    worksheet = "survey-company",
    role = "pack",
    visits = { 3 },
  },
  -- An engagement ended early never reaches the last visit's pack: the
  -- company's form comes with its final report, saying why it ended.
  company_early = document {
    id = "survey-company-early",
    title = "指導先企業アンケート",
    file = M.company.file,
    worksheet = "survey-company",
    role = "final",
    state = "terminated",
  },
  expert = document {
    id = "survey-expert",
    title = "指導専門家アンケート（企業別）",
    file = M.expert.file,
    worksheet = "survey-expert",
    role = "expert",
    visits = { 3 },
  },
}

-- The final report's 評価: the expert's overall evaluation of the support
-- (the per-company form's Q4 1.) and the company's view of whether its aims
-- were met (Q2-1), each with its reason, from what was imported; pending
-- while a form is not back.
local function answers_of(ctx, sheet)
  return answers_by_id(ctx.records and ctx.records[sheet])
end

local function judged(a, q, reason, form_title)
  if not a then
    return { answer = "未回答", note = "「" .. form_title .. "」の提出待ちです。提出され次第、この欄に記載されます。" }
  end
  return { answer = a[q] or "（回答なし）", note = a[reason] and ("理由：" .. a[reason]) or "" }
end

function M.evaluation(ctx)
  return {
    expert = judged(answers_of(ctx, M.expert.id), "q4_1", "q4_1_reason", M.docs.expert.title),
    company = judged(answers_of(ctx, M.company.id), "q2_1", "q2_2", M.docs.company.title),
  }
end

-- --- Results -------------------------------------------------------------

-- The programme's marks for the two overall evaluations (図表 2-72): ◎ the
-- best answer, ○ the second, △ the middle one; the programme's table has
-- no mark below the middle, so the answers below it count as △ too (the
-- guidance did not bring what was hoped). An engagement whose form did not
-- come back counts as `unknown` (the programme's table prints 不明).
M.marks = {
  expert = { q = "q4_1", ["大変上手かった"] = "◎", ["上手かった"] = "○", ["どちらともいえない"] = "△",
             ["やや上手いかなかった"] = "△", ["上手いかなかった"] = "△" },
  company = { q = "q2_1", ["当初の目的を十分達成することができた"] = "◎",
              ["当初の目的をある程度達成することができた"] = "○",
              ["当初の目的をあまり達成することができなかった"] = "△",
              ["当初の目的を達成することができなかった"] = "△", ["その他"] = "△" },
}
local mark_order = { "◎", "○", "△", "unknown" }

-- What one question's answers add up to over `list` (answer maps): the
-- respondents, each choice's count and share of them (a multi-select's
-- shares may add up to more than 1), and every free text.
local function tally(q, list)
  local out = { id = q.id, label = q.label, text = q.text, type = q.type, n = 0 }
  local counts = {}
  for _, c in ipairs(q.choices or {}) do counts[c] = 0 end
  local texts = {}
  for _, a in ipairs(list) do
    local got = false
    if q.type == "multi" then
      for i, c in ipairs(q.choices) do
        if a[choice_id(q, i)] then counts[c] = counts[c] + 1; got = true end
      end
    elseif a[q.id] then
      got = true
      if q.type == "single" then
        counts[a[q.id]] = (counts[a[q.id]] or 0) + 1
      else
        texts[#texts + 1] = a[q.id]
      end
    end
    if q.other and a[other_id(q)] then
      out.other_texts = out.other_texts or {}
      table.insert(out.other_texts, a[other_id(q)])
    end
    if got then out.n = out.n + 1 end
  end
  if q.choices then
    out.choices = {}
    for _, c in ipairs(q.choices) do
      out.choices[#out.choices + 1] = { choice = c, count = counts[c],
                                        share = out.n > 0 and counts[c] / out.n or 0 }
    end
  end
  if q.type == "text" or q.type == "number" then out.answers = texts end
  return out
end

local function tally_form(form, list)
  local _, order = index(form)
  local out = {}
  for _, q in ipairs(order) do out[#out + 1] = tally(q, list) end
  return out
end

-- The results of the questionnaires of `input.engagements` (each
-- { id, theme, theme_title, company, expert, records = { sheet id → rows } }):
-- { engagements, returned = { company, expert },
--   summary = { { theme, title, engagements, expert = {◎,○,△,unknown}, company = {…} } } (図表 2-72),
--   cross = { { theme, title, experts = {choices}, companies = {choices}, counts = {{…}} } } (2-73 … 2-77),
--   company = { per question tally }, expert = { … }, by_theme = { theme → { company, expert } },
--   overall = { … } (the experts' overall questionnaires of the year, input.overall),
--   fees = tally of Q5-4-3 (2-78), desired_themes = tally of Q5-3 (2-79) }
function M.results(input)
  local themes, by_theme_list = {}, {}
  local all = { company = {}, expert = {} }
  local out = { engagements = 0, returned = { company = 0, expert = 0 }, summary = {}, cross = {},
                by_theme = {} }
  local eq, cq = M.marks.expert.q, M.marks.company.q
  local ex_choices = index(expert.engagement)[eq].choices
  local co_choices = index(company)[cq].choices
  for _, e in ipairs(input.engagements or {}) do
    out.engagements = out.engagements + 1
    local t = e.theme
    if not by_theme_list[t] then
      by_theme_list[t] = { company = {}, expert = {}, title = e.theme_title, n = 0,
                           marks = { expert = {}, company = {} }, cross = {} }
      themes[#themes + 1] = t
    end
    local bt = by_theme_list[t]
    bt.n = bt.n + 1
    local ca = answers_by_id(e.records and e.records[M.company.id])
    local xa = answers_by_id(e.records and e.records[M.expert.id])
    if ca then
      out.returned.company = out.returned.company + 1
      all.company[#all.company + 1] = ca
      bt.company[#bt.company + 1] = ca
    end
    if xa then
      out.returned.expert = out.returned.expert + 1
      all.expert[#all.expert + 1] = xa
      bt.expert[#bt.expert + 1] = xa
    end
    local xm = xa and M.marks.expert[xa[eq] or ""] or "unknown"
    local cm = ca and M.marks.company[ca[cq] or ""] or "unknown"
    bt.marks.expert[xm] = (bt.marks.expert[xm] or 0) + 1
    bt.marks.company[cm] = (bt.marks.company[cm] or 0) + 1
    if xa and ca and xa[eq] and ca[cq] then
      local key = ca[cq] .. "\0" .. xa[eq]
      bt.cross[key] = (bt.cross[key] or 0) + 1
    end
  end
  local function marks(m)
    local o = {}
    for _, k in ipairs(mark_order) do o[k] = m[k] or 0 end
    return o
  end
  for _, t in ipairs(themes) do
    local bt = by_theme_list[t]
    out.summary[#out.summary + 1] = { theme = t, title = bt.title, engagements = bt.n,
                                      expert = marks(bt.marks.expert),
                                      company = marks(bt.marks.company) }
    local counts = {}
    for i, c in ipairs(co_choices) do
      counts[i] = {}
      for j, x in ipairs(ex_choices) do counts[i][j] = bt.cross[c .. "\0" .. x] or 0 end
    end
    out.cross[#out.cross + 1] = { theme = t, title = bt.title, companies = co_choices,
                                  experts = ex_choices, counts = counts }
    out.by_theme[t] = { company = tally_form(company, bt.company),
                        expert = tally_form(expert.engagement, bt.expert) }
  end
  local overall = {}
  for _, o in ipairs(input.overall or {}) do
    overall[#overall + 1] = answers_by_id(o.data) or {}
  end
  out.overall = tally_form(expert.overall, overall)
  out.returned.overall = #overall
  out.company = tally_form(company, all.company)
  out.expert = tally_form(expert.engagement, all.expert)
  local cby = index(company)
  out.fees = tally(cby.q5_4_3, all.company)
  out.desired_themes = tally(cby.q5_3, all.company)
  return out
end

-- For tests and the results: the questionnaires behind the sheets.
M.forms = { company = company, engagement = expert.engagement, overall = expert.overall }
M.check = check_form
-- For the other questionnaires of the programme (the experts' skill survey,
-- lib/pool.lua): the same forms, answers and checks.
M.sheet = sheet
M.index = index
M.answers = answers_by_id
M.check_answers = check_answers
M.choice_id = choice_id
M.other_id = other_id

return M
