-- Theme 2 (情報資産の洗い出しとリスク分析): its worksheets and the report.
--   M.ledger    情報資産管理台帳: one row per information asset and medium, with
--               sample rows for the company's industry (assetdata.lua) that it
--               keeps (区分 自社), edits or deletes; rows still marked サンプル
--               are left out on import;
--   M.threats   脅威と対策の状況: per medium, how likely its threats are and how
--               well it is protected (from the self-diagnosis); the first sheet
--               of the リスク分析シート workbook, whose other sheets are
--   M.analysis  リスク分析: every asset's importance, likelihood and risk, in
--               Lua and as live formulas that read the threat sheet;
--   M.levels    リスク集計: how many assets fall in each risk level, a chart;
--   M.measures  対策計画: the controls for the media of every asset at or above
--               the threshold, with treatment, owner and due date to fill in;
-- and the context of the リスク分析結果報告書.
-- The scales and rules follow the guideline's 付録7 (v3.1): ratings 3/2/1,
-- importance = max(C, I, A) or 3 with personal information, likelihood from
-- threat × vulnerability, risk = importance × likelihood.
local documents = require "documents"
local assetdata = require "assetdata"
local selfdiag = require "selfdiag"

local M = {}

M.sample_mark = "サンプル"
M.own_mark = "自社"
M.yes = "有"
M.ratings = { 3, 2, 1 }
M.treatments = { "低減", "回避", "移転", "保有" }
M.progress = { "未着手", "実施中", "完了" }

-- Risk levels: the first whose `min` the risk value reaches. Assets at or
-- above `M.threshold` get countermeasures; `due_days` after the report.
M.levels_table = {
  { label = "大", min = 6, range = "6〜9", due_days = 90 },
  { label = "中", min = 4, range = "4", due_days = 180 },
  { label = "小", range = "1〜3" },
}
M.threshold = 4

-- What the importance levels mean (the guideline's wording, paraphrased).
M.importance_labels = {
  [3] = "事故が起きると会社の存続に関わる（法的責任、取引先・顧客への大きな影響、深刻な事業への打撃）",
  [2] = "事故が起きると事業に深刻な影響がある",
  [1] = "事故が起きても事業への影響はほとんどない",
}

-- 被害発生可能性 from 脅威 (rows) and 脆弱性 (columns), as the guideline's table.
M.likelihood_table = {
  [3] = { [3] = 3, [2] = 2, [1] = 1 },
  [2] = { [3] = 2, [2] = 1, [1] = 1 },
  [1] = { [3] = 1, [2] = 1, [1] = 1 },
}

-- The review of the ledger and the analysis, this many days after the report.
M.review_days = 365

local cost_rank = { ["低"] = 1, ["中"] = 2, ["高"] = 3 }
local red, yellow, green, grey = "#F8CBAD", "#FFF2CC", "#E2EFDA", "#E7E6E6"

-- --- Computation ------------------------------------------------------------

local media_by_name = {}
for i, m in ipairs(assetdata.media) do
  media_by_name[m.name] = m
  m.order = i
end

function M.likelihood(threat, vuln)
  local row = M.likelihood_table[threat]
  return row and row[vuln] or nil
end

function M.level_of(risk)
  for _, l in ipairs(M.levels_table) do
    if not l.min or risk >= l.min then
      return l
    end
  end
end

local function personal(row)
  return row.pi == M.yes or row.sensitive == M.yes or row.mynumber == M.yes
end

function M.importance(row)
  if not (row.c and row.i and row.a) then
    return nil
  end
  if personal(row) then
    return 3
  end
  return math.max(row.c, row.i, row.a)
end

-- The vulnerability of a medium, graded from the self-diagnosis answers of
-- its items: each answer counts 1 (実施している), 2 (一部実施している) or 3
-- (実施していない, わからない), and the vulnerability is their mean rounded
-- half up: all or nearly all in place → 1, a mixture → 2, mostly not in
-- place → 3. (It was 3 as soon as one linked answer was weak, which put
-- nearly every asset at 大.) With no answers, 2. Returns it and the answers
-- as text, with how they were counted.
local answer_vuln = {
  ["実施している"] = 1, ["一部実施している"] = 2, ["実施していない"] = 3, ["わからない"] = 3,
}
-- The order the answers are listed in on the threat sheet: the weak first.
local answer_order = { "実施していない", "わからない", "一部実施している", "実施している" }

function M.grade_vulnerability(points)
  if #points == 0 then
    return 2
  end
  local sum = 0
  for _, p in ipairs(points) do
    sum = sum + p
  end
  -- mean ≥ 2.5 → 3, mean < 1.5 → 1, in integers: 2·sum vs 5·n and 3·n
  if 2 * sum >= 5 * #points then
    return 3
  end
  if 2 * sum < 3 * #points then
    return 1
  end
  return 2
end

local function vulnerability(medium, ctx)
  local answers = {}
  for _, r in ipairs(ctx.records and ctx.records["self-diagnosis"] or {}) do
    answers[r.no] = r.answer
  end
  -- One line per answer ("実施していない：No.2、5"): short lines, so that
  -- the row's height fits them in a narrow column and ten media fit a page
  -- (the default they give is in the next column).
  local points, by_answer = {}, {}
  for _, no in ipairs(medium.selfdiag or {}) do
    local a = answers[no]
    if answer_vuln[a] then
      points[#points + 1] = answer_vuln[a]
      by_answer[a] = by_answer[a] or {}
      by_answer[a][#by_answer[a] + 1] = tostring(no)
    end
  end
  if #points == 0 then
    return 2, "自社診断の回答なし（標準値）"
  end
  local lines = {}
  for _, a in ipairs(answer_order) do
    if by_answer[a] then
      lines[#lines + 1] = a .. "：No." .. table.concat(by_answer[a], "、")
    end
  end
  return M.grade_vulnerability(points), table.concat(lines, "\n")
end

-- The threat sheet's rows: as imported, else the defaults.
local function threat_rows(ctx)
  local imported = {}
  for _, r in ipairs(ctx.records and ctx.records["risk-threats"] or {}) do
    imported[r.medium] = r
  end
  local rows = {}
  for i, m in ipairs(assetdata.media) do
    local vuln, checks = vulnerability(m, ctx)
    local r = imported[m.name] or {}
    rows[#rows + 1] = {
      no = i, medium = m.name, threats = table.concat(m.threats, "、"),
      threat = r.threat or m.threat, checks = checks, default_vuln = vuln, vuln = r.vuln or vuln,
      note = r.note or m.note,
    }
    rows[#rows].likelihood = M.likelihood(rows[#rows].threat, rows[#rows].vuln)
  end
  return rows
end

-- The assets of the ledger as imported (sample rows were left out).
local function assets_of(ctx)
  return ctx.records and ctx.records["asset-ledger"] or {}
end

-- Every asset with its importance, likelihood, risk and level.
function M.analyse(ctx)
  local by_medium = {}
  for _, t in ipairs(threat_rows(ctx)) do
    by_medium[t.medium] = t
  end
  local out = {}
  for _, a in ipairs(assets_of(ctx)) do
    local t = by_medium[a.medium]
    local imp = M.importance(a)
    local p = t and t.likelihood
    local risk = imp and p and imp * p
    out[#out + 1] = {
      no = a.no, process = a.process, name = a.name, medium = a.medium,
      c = a.c, i = a.i, a = a.a, personal = personal(a) and M.yes or "",
      importance = imp, threat = t and t.threat, vuln = t and t.vuln, likelihood = p,
      risk = risk, level = risk and M.level_of(risk).label,
    }
  end
  return out, by_medium
end

-- --- Sample rows --------------------------------------------------------------

local function flag(b)
  return b and M.yes or ""
end

-- Trades within a variant whose samples differ from the variant's: chosen
-- when a word of `words` is in the company's name or notes (the industry
-- classification puts a printer under 製造業).
local trades = {
  manufacturing = { { id = "printing", words = { "印刷" } } },
}

local function trade_of(ctx, variant)
  local c = ctx.company or {}
  local text = (c.name or "") .. " " .. (c.notes or "")
  for _, t in ipairs(trades[variant] or {}) do
    for _, w in ipairs(t.words) do
      if text:find(w, 1, true) then
        return t.id
      end
    end
  end
  return variant
end

-- The ledger's first rows: the common samples, then those of the variants.
local function sample_rows(ctx)
  local rows, n = {}, 0
  local function add(list)
    for _, s in ipairs(list or {}) do
      n = n + 1
      rows[#rows + 1] = {
        kind = M.sample_mark, no = string.format("S-%02d", n), process = s.process, name = s.name,
        note = s.note, users = s.users, owner = s.owner, medium = s.medium,
        pi = flag(s.pi), sensitive = flag(s.sensitive), mynumber = flag(s.mynumber),
        c = s.c, i = s.i, a = s.a, retention = s.retention,
      }
    end
  end
  add(assetdata.samples.generic)
  local seen = {}
  for _, v in ipairs(ctx.variants or {}) do
    local id = trade_of(ctx, v)
    if not seen[id] then
      seen[id] = true
      add(assetdata.samples[id])
    end
  end
  return rows
end

-- --- The worksheets -------------------------------------------------------------

local media_names = {}
for _, m in ipairs(assetdata.media) do
  media_names[#media_names + 1] = m.name
end

local function rating(key, header, help)
  return { key = key, header = header, type = "enum", choices = M.ratings, required = true,
           input = true, width = 7, help = help }
end

local yes_no = { M.yes, "無" }

M.ledger = worksheet {
  id = "asset-ledger",
  file = "情報資産管理台帳.xlsx",
  sheet = "情報資産管理台帳",
  title = "情報資産管理台帳",
  guidance = {
    "貴社の業務で扱う情報を、業務ごとに1行ずつ書き出す台帳です。同じ情報でも紙と電子データ、保存先が違えば行を分けます。扱いと重要さが同じものは1行にまとめて構いません。",
    "「区分」が「サンプル」（灰色）の行は、業種に合わせたサンプルです。貴社にもある資産は内容を直して「区分」を「自社」に、ないものは行ごと削除してください。「サンプル」のままの行は取り込まれません。",
    "管理番号は行ごとに重ならない番号を付けてください（例：A-001）。評価値は 3（法令で守る義務がある・漏れると取引先や会社に深刻な影響）、2（事業に大きな影響）、1（影響はほとんどない）から選びます。",
    "重要度は自動で計算されます：機密性・完全性・可用性の最大値。個人情報・要配慮個人情報・特定個人情報のどれかを含む資産は 3 です。",
  },
  fields = documents.filler_fields(),
  columns = {
    { key = "kind", header = "区分", type = "enum", choices = { M.own_mark, M.sample_mark }, input = true,
      width = 8, help = "サンプルの行を残すときは「自社」に変えてください。" },
    { key = "no", header = "管理番号", type = "text", required = true, input = true, width = 9 },
    { key = "process", header = "業務分類", type = "text", required = true, input = true, width = 12, wrap = true },
    { key = "name", header = "情報資産名称", type = "text", required = true, input = true, width = 24, wrap = true },
    { key = "note", header = "備考", type = "text", input = true, width = 22, wrap = true },
    { key = "users", header = "利用者範囲", type = "text", input = true, width = 14, wrap = true },
    { key = "owner", header = "管理部署", type = "text", required = true, input = true, width = 12, wrap = true },
    { key = "medium", header = "媒体・保存先", type = "enum", choices = media_names, required = true,
      input = true, width = 28 },
    { key = "pi", header = "個人情報", type = "enum", choices = yes_no, input = true, width = 7 },
    { key = "sensitive", header = "要配慮個人情報", type = "enum", choices = yes_no, input = true, width = 12 },
    { key = "mynumber", header = "特定個人情報", type = "enum", choices = yes_no, input = true, width = 11 },
    rating("c", "機密性", "3：法令で守る義務・漏れると深刻　2：事業に大きな影響　1：影響はほとんどない"),
    rating("i", "完全性", "3：改ざんされると深刻　2：事業に大きな影響　1：影響はほとんどない"),
    rating("a", "可用性", "3：使えないと深刻　2：事業に大きな影響　1：影響はほとんどない"),
    { key = "importance", header = "重要度", type = "integer", width = 7,
      formula = string.format('IF(COUNT({c},{i},{a})=0,"",IF(OR({pi}="%s",{sensitive}="%s",{mynumber}="%s"),3,MAX({c},{i},{a})))',
        M.yes, M.yes, M.yes),
      compute = M.importance },
    { key = "retention", header = "保存期限", type = "text", input = true, width = 16, wrap = true },
    { key = "registered", header = "登録日", type = "date", input = true, width = 11 },
  },
  key = "no",
  skip = { column = "kind", equals = M.sample_mark },
  rows = sample_rows,
  min_rows = 30,
  freeze = true,
  autofilter = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  conditional = {
    { column = "kind", equals = M.sample_mark, fill = grey },
    { column = "importance", equals = 3, fill = red },
  },
}

M.threats = worksheet {
  id = "risk-threats",
  file = "リスク分析シート.xlsx",
  sheet = "脅威と対策の状況",
  title = "リスク分析シート（脅威と対策の状況）",
  guidance = {
    "媒体・保存先ごとに、脅威の起こりやすさと、対策の不十分さ（脆弱性）を選ぶシートです。「リスク分析」シートの数値は、ここで選んだ値から自動で計算されます。",
    "脅威：3＝いつ起きてもおかしくない、2＝条件がそろうと起きる（年に数回）、1＝通常は起きない。脆弱性：3＝対策をしていない、2＝一部の対策のみ、1＝必要な対策ができている。",
    "脆弱性の初期値は、関連する自社診断の回答から求めています（実施している＝1、一部実施している＝2、実施していない・わからない＝3 の平均を四捨五入）。専門家が確かめた実際の状況が違えば「脆弱性」を選び直し、理由を「根拠」に書いてください。取り込むと、選び直した値が使われます。",
  },
  fields = documents.filler_fields(),
  columns = {
    { key = "no", header = "No.", type = "integer", width = 5 },
    { key = "medium", header = "媒体・保存先", type = "text", width = 20, wrap = true },
    { key = "threats", header = "主な脅威", type = "text", width = 36, wrap = true },
    rating("threat", "脅威", "3：いつ起きてもおかしくない　2：条件により年に数回　1：通常は起きない"),
    { key = "checks", header = "関連する自社診断の回答", type = "text", width = 34, wrap = true },
    { key = "default_vuln", header = "脆弱性の初期値", type = "integer", width = 7, wrap = true },
    rating("vuln", "脆弱性", "自社診断から求めた初期値を入れてあります。実際の対策の状況が違うときは選び直し、理由を「根拠」に書いてください。3：対策なし　2：一部の対策のみ　1：必要な対策ができている"),
    { key = "likelihood", header = "被害発生可能性", type = "integer", width = 7,
      formula = "ROUNDUP({threat}/(4-{vuln}),0)",
      compute = function(row) return M.likelihood(row.threat, row.vuln) end },
    { key = "note", header = "根拠", type = "text", input = true, width = 36, wrap = true },
  },
  key = "medium",
  rows = threat_rows,
  fixed_rows = true,
  freeze = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  book = { "risk-analysis", "risk-levels", "risk-measures" },
}

local function level_formula()
  local f, close = "", ""
  for i, l in ipairs(M.levels_table) do
    if l.min and i < #M.levels_table then
      f = f .. string.format('IF({risk}>=%d,"%s",', l.min, l.label)
      close = close .. ")"
    else
      f = f .. string.format('"%s"', l.label)
    end
  end
  return f .. close
end

local function lookup(key)
  return string.format("INDEX({risk-threats:%s},MATCH({medium},{risk-threats:medium},0))", key)
end

local level_colours = {
  { column = "level", equals = "大", fill = red },
  { column = "level", equals = "中", fill = yellow },
  { column = "level", equals = "小", fill = green },
}

M.analysis = worksheet {
  id = "risk-analysis",
  output = true,
  sheet = "リスク分析",
  title = "リスク分析",
  guidance = {
    "情報資産管理台帳の資産ごとに、重要度・被害発生可能性・リスク値を求めた表です。どの列も計算式なので、評価値や「脅威と対策の状況」シートを変えると、すぐに計算し直されます。",
    "重要度＝機密性・完全性・可用性の最大値（個人情報を含むときは3）。被害発生可能性＝脅威と脆弱性から。リスク値＝重要度×被害発生可能性。6以上が大、4が中、3以下が小です。",
    "評価値を見直したときは、情報資産管理台帳も同じように直して取り込み直してください。",
  },
  fields = {
    { label = "会社名", value = "company.name" },
    documents.dates.field("作成日"),
  },
  columns = {
    { key = "no", header = "管理番号", type = "text", width = 9 },
    { key = "process", header = "業務分類", type = "text", width = 12, wrap = true },
    { key = "name", header = "情報資産名称", type = "text", width = 24, wrap = true },
    -- Wide enough for the longest medium on one line: wrapped, it made every
    -- row two lines high and the sheet a page longer.
    { key = "medium", header = "媒体・保存先", type = "text", width = 28 },
    { key = "c", header = "機密性", type = "integer", width = 7, input = true },
    { key = "i", header = "完全性", type = "integer", width = 7, input = true },
    { key = "a", header = "可用性", type = "integer", width = 7, input = true },
    { key = "personal", header = "個人情報を含む", type = "text", width = 7, input = true },
    { key = "importance", header = "重要度", type = "integer", width = 7,
      formula = string.format('IF({personal}="%s",3,MAX({c},{i},{a}))', M.yes) },
    { key = "threat", header = "脅威", type = "integer", width = 6, formula = lookup("threat") },
    { key = "vuln", header = "脆弱性", type = "integer", width = 7, formula = lookup("vuln") },
    { key = "likelihood", header = "被害発生可能性", type = "integer", width = 7,
      formula = "ROUNDUP({threat}/(4-{vuln}),0)" },
    { key = "risk", header = "リスク値", type = "integer", width = 7, formula = "{importance}*{likelihood}" },
    { key = "level", header = "リスク評価", type = "text", width = 8, formula = level_formula() },
  },
  rows = function(ctx) return (M.analyse(ctx)) end,
  freeze = true,
  autofilter = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  conditional = level_colours,
}

M.levels = worksheet {
  id = "risk-levels",
  output = true,
  sheet = "リスク集計",
  title = "リスク評価ごとの資産数",
  guidance = {
    "「リスク分析」シートのリスク評価ごとの資産数です（計算式で数えています）。",
  },
  fields = { { label = "会社名", value = "company.name" } },
  columns = {
    { key = "level", header = "リスク評価", type = "text", width = 10 },
    { key = "range", header = "リスク値", type = "text", width = 9 },
    { key = "count", header = "資産数", type = "integer", width = 8,
      formula = "COUNTIF({risk-analysis:level},{level})" },
    { key = "meaning", header = "意味と対応", type = "text", width = 60, wrap = true },
  },
  rows = function(ctx)
    local counts = {}
    for _, r in ipairs((M.analyse(ctx))) do
      if r.level then
        counts[r.level] = (counts[r.level] or 0) + 1
      end
    end
    local rows = {}
    for _, l in ipairs(M.levels_table) do
      rows[#rows + 1] = { level = l.label, range = l.range, count = counts[l.label] or 0,
                          meaning = assetdata.level_notes[l.label] }
    end
    return rows
  end,
  print = { landscape = false, fit_width = true },
  conditional = level_colours,
  charts = {
    { type = "column", title = "リスク評価ごとの資産数", categories = "level", values = "count",
      anchor = "A10", width = 520, height = 300 },
  },
}

-- --- Countermeasures ----------------------------------------------------------

-- The report's date: the third visit, else today.
local function report_date(ctx)
  return documents.visit_date_or_today(ctx, 3)
end

-- One row per threat of every medium holding an asset at or above the
-- threshold: the first (cheapest) control, the others as options. Ordered
-- by the highest risk on the medium, then cost, then the media's order.
local function measure_rows(ctx)
  local assets = M.analyse(ctx)
  local media = {}
  for _, r in ipairs(assets) do
    if r.risk and r.risk >= M.threshold then
      local m = media[r.medium]
      if not m then
        m = { medium = media_by_name[r.medium], risk = 0, assets = {} }
        media[r.medium] = m
      end
      m.risk = math.max(m.risk, r.risk)
      m.assets[#m.assets + 1] = r.no .. " " .. r.name
    end
  end
  -- What the company wrote in the plan last time, by medium and threat.
  local answered = {}
  for _, r in ipairs(ctx.records and ctx.records["risk-measures"] or {}) do
    answered[(r.medium or "") .. "\0" .. (r.threat or "")] = r
  end
  local rows = {}
  for _, m in pairs(media) do
    for _, threat in ipairs(m.medium.threats) do
      local controls = assetdata.controls[threat] or {}
      local first, others = controls[1] or {}, {}
      for k = 2, #controls do
        others[#others + 1] = "・" .. controls[k].text
      end
      local level = M.level_of(m.risk)
      local was = answered[m.medium.name .. "\0" .. threat] or {}
      answered[m.medium.name .. "\0" .. threat] = nil
      rows[#rows + 1] = {
        medium = m.medium.name, order = m.medium.order, assets = table.concat(m.assets, "\n"),
        risk = m.risk, level = level.label, threat = threat, control = was.control or first.text,
        options = table.concat(others, "\n"), cost = first.cost,
        treatment = was.treatment or first.treatment, owner = was.owner,
        status = was.status or M.progress[1],
        due = was.due or (level.due_days and documents.add_days(report_date(ctx), level.due_days)),
      }
    end
  end
  -- Measures the company added itself stay, after the proposals.
  for _, r in ipairs(ctx.records and ctx.records["risk-measures"] or {}) do
    if answered[(r.medium or "") .. "\0" .. (r.threat or "")] then
      local own = {}
      for k, v in pairs(r) do own[k] = v end
      own.order, own.risk = math.huge, own.risk or 0
      rows[#rows + 1] = own
    end
  end
  table.sort(rows, function(x, y)
    if x.risk ~= y.risk then return x.risk > y.risk end
    local cx, cy = cost_rank[x.cost] or 9, cost_rank[y.cost] or 9
    if cx ~= cy then return cx < cy end
    if x.order ~= y.order then return x.order < y.order end
    return x.threat < y.threat
  end)
  for i, r in ipairs(rows) do
    r.no, r.order = i, nil
  end
  return rows
end

M.measures = worksheet {
  id = "risk-measures",
  sheet = "対策計画",
  title = "対策計画",
  guidance = {
    string.format("リスク値が%d以上の資産がある媒体・保存先について、脅威ごとの対策案です。リスク値の大きい順、同じなら費用の小さい順に並べています。", M.threshold),
    "「対応方針」（低減・回避・移転・保有）を選び、「担当者」「期限」を記入してください。費用に見合わない対策は、理由を決めたうえで保有（受け入れ）とすることもできます。",
  },
  fields = { { label = "会社名", value = "company.name" } },
  columns = {
    { key = "no", header = "No.", type = "integer", required = true, width = 5 },
    { key = "medium", header = "媒体・保存先", type = "text", width = 18, wrap = true },
    { key = "assets", header = "対象の情報資産", type = "text", width = 26, wrap = true },
    { key = "risk", header = "最大リスク値", type = "integer", width = 10 },
    { key = "level", header = "リスク評価", type = "text", width = 8 },
    { key = "threat", header = "脅威", type = "text", required = true, width = 16, wrap = true },
    { key = "control", header = "対策", type = "text", required = true, input = true, width = 40, wrap = true },
    { key = "options", header = "ほかの選択肢", type = "text", width = 36, wrap = true },
    { key = "cost", header = "費用感", type = "text", width = 7 },
    { key = "treatment", header = "対応方針", type = "enum", choices = M.treatments, required = true,
      input = true, width = 9 },
    { key = "owner", header = "担当者", type = "text", input = true, width = 14, wrap = true },
    { key = "due", header = "期限", type = "date", input = true, width = 11 },
    { key = "status", header = "状況", type = "enum", choices = M.progress, input = true, width = 9 },
  },
  key = "no",
  rows = measure_rows,
  refresh = true,
  min_rows = 5,
  freeze = true,
  autofilter = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  conditional = level_colours,
}

-- --- リスク分析結果報告書 ---------------------------------------------------------

local function count_by(list, key)
  local counts, order = {}, {}
  for _, r in ipairs(list) do
    local k = r[key]
    if k ~= nil then
      if not counts[k] then
        order[#order + 1] = k
        counts[k] = 0
      end
      counts[k] = counts[k] + 1
    end
  end
  return counts, order
end

local function or_tbd(s)
  return (s == nil or s == "") and "（未定）" or s
end

-- A due date in the plan's narrow column: the era on one line, the Western
-- date on the next, so that neither is broken inside.
local function due_lines(date)
  return (documents.wareki(date):gsub("（", "\n（", 1))
end

-- A sentence as the company wrote it, closed with 。 if it was not.
local function sentence(s)
  if s == nil or s == "" then
    return ""
  end
  return s:sub(-#"。") == "。" and s or s .. "。"
end

-- Why an asset's risk is what it is, in a sentence.
local function reason_of(r, asset, medium)
  local why = {}
  if r.personal == M.yes then
    why[#why + 1] = "個人情報を含むため重要度3"
  else
    why[#why + 1] = string.format("評価値の最大が%dのため重要度%d", r.importance, r.importance)
  end
  why[#why + 1] = string.format("%sは脅威%d・脆弱性%dで被害発生可能性%d", r.medium, r.threat, r.vuln,
    r.likelihood)
  if medium and medium.threats[1] then
    why[#why + 1] = "主な脅威は" .. table.concat(medium.threats, "・", 1, math.min(2, #medium.threats))
  end
  return table.concat(why, "。") .. "。"
end

-- Context (templates/assets/リスク分析結果報告書.docx): company, expert, date,
--   summary { total, personal, high, medium, low, measures (text: "38 件", or
--   "38 件（ほかに保有 1 件）" when some were accepted), text },
--   levels[] { label, range, count, meaning }, by_process[] { name, count, high },
--   by_medium[] { name, count, threat, vuln, likelihood, reason },
--   by_importance[] { level, label, count }, method[], top[] { rank, no, name,
--   process, medium, importance, likelihood, risk, level, reason },
--   plan_groups[] { medium, risk, level, assets, measures[] { rank, threat, control,
--   treatment, cost, owner, due } },
--   has_plan, review { date, owner, triggers[] }
function M.report_context(ctx)
  local c = ctx.company or {}
  local assets, by_medium = M.analyse(ctx)
  local date = report_date(ctx)
  local level_counts = count_by(assets, "level")

  local levels = {}
  for _, l in ipairs(M.levels_table) do
    levels[#levels + 1] = { label = l.label, range = l.range, count = level_counts[l.label] or 0,
                            meaning = assetdata.level_notes[l.label] }
  end

  local by_process = {}
  local pc, porder = count_by(assets, "process")
  for _, name in ipairs(porder) do
    local high = 0
    for _, r in ipairs(assets) do
      if r.process == name and r.level == "大" then high = high + 1 end
    end
    by_process[#by_process + 1] = { name = name, count = pc[name], high = high }
  end

  local mc = count_by(assets, "medium")
  local media = {}
  for _, m in ipairs(assetdata.media) do
    local t = by_medium[m.name]
    if mc[m.name] then
      local reason = sentence(t.note)
      if t.default_vuln and t.vuln ~= t.default_vuln then
        reason = string.format("脆弱性は自社診断から求めた初期値%dを、確認のうえ%dとした。%s",
          t.default_vuln, t.vuln, sentence(t.note))
      end
      media[#media + 1] = { name = m.name, count = mc[m.name], threat = t.threat, vuln = t.vuln,
                            likelihood = t.likelihood, reason = reason }
    end
  end

  local ic = count_by(assets, "importance")
  local by_importance = {}
  for lvl = 3, 1, -1 do
    by_importance[#by_importance + 1] = { level = lvl, label = M.importance_labels[lvl], count = ic[lvl] or 0 }
  end

  local ranked = {}
  for _, r in ipairs(assets) do
    if r.risk and r.risk >= M.threshold then ranked[#ranked + 1] = r end
  end
  table.sort(ranked, function(x, y)
    if x.risk ~= y.risk then return x.risk > y.risk end
    return x.no < y.no
  end)
  local top = {}
  for i, r in ipairs(ranked) do
    top[#top + 1] = { rank = i, no = r.no, name = r.name, process = r.process, medium = r.medium,
                      importance = r.importance, likelihood = r.likelihood, risk = r.risk,
                      level = r.level, reason = reason_of(r, nil, media_by_name[r.medium]) }
  end

  -- The plan by medium, in the order of the measures (highest risk first);
  -- measures the company decided to accept (保有) are not listed.
  local groups, group_of, nplan, accepted = {}, {}, 0, {}
  for _, m in ipairs(measure_rows(ctx)) do
    if m.treatment == "保有" then
      accepted[#accepted + 1] = (m.medium or "") .. "の「" .. (m.threat or "") .. "」"
    else
      local key = m.medium or ""
      local g = group_of[key]
      if not g then
        g = { medium = m.medium or "その他", risk = m.risk, level = m.level or "",
              assets = (m.assets or ""):gsub("\n", "、"), measures = {} }
        group_of[key] = g
        groups[#groups + 1] = g
      end
      nplan = nplan + 1
      g.measures[#g.measures + 1] = {
        rank = nplan, threat = m.threat, control = m.control, treatment = m.treatment, cost = m.cost,
        owner = or_tbd(m.owner), due = m.due and due_lines(m.due) or "（未定）",
      }
    end
  end

  local personal_n = 0
  for _, r in ipairs(assets) do
    if r.personal == M.yes then personal_n = personal_n + 1 end
  end
  local high, medium, low = level_counts["大"] or 0, level_counts["中"] or 0, level_counts["小"] or 0
  local text = string.format(
    "情報資産管理台帳に洗い出した%d件の情報資産（うち個人情報を含むもの%d件）について、"
      .. "ガイドライン付録7の方法でリスク値を求めました。リスクが大きい資産は%d件、中程度は%d件、小さい資産は%d件です。",
    #assets, personal_n, high, medium, low)
  -- The report leads with the largest risk: the assets at the highest value
  -- by name (three at most, with how many more share it), not the next ones.
  local lead, tied = {}, 0
  for _, r in ipairs(ranked) do
    if r.risk == ranked[1].risk then
      tied = tied + 1
      if tied <= 3 then
        lead[#lead + 1] = string.format("%s %s（%s、リスク値%d）", r.no, r.name, r.medium, r.risk)
      end
    end
  end
  if #lead > 0 then
    text = string.format("最もリスクが大きいのは、%s%sです。", table.concat(lead, "、"),
      tied > 3 and string.format("ほか%d件", tied - 3) or "") .. text
  end
  if high + medium > 0 then
    if #accepted > 0 then
      text = text .. string.format("リスク値%d以上の資産を抱える媒体・保存先について%d項目の対策を検討し、"
        .. "%d項目を実施します。残る%d項目（%s）は、対策を講じずにリスクを受け入れる（保有）と決めました。",
        M.threshold, nplan + #accepted, nplan, #accepted, table.concat(accepted, "、"))
    else
      text = text .. string.format("リスク値%d以上の資産を抱える媒体・保存先について、%d項目の対策を計画しました。",
        M.threshold, nplan)
    end
  else
    text = text .. "現時点で対策を急ぐ資産はありません。"
  end

  local triggers = {}
  for _, t in ipairs(assetdata.review_triggers) do triggers[#triggers + 1] = t end
  return {
    company = { name = c.name }, expert = { name = (ctx.expert or {}).name }, date = documents.wareki(date),
    summary = { total = #assets, personal = personal_n, high = high, medium = medium, low = low,
                measures = #accepted > 0 and string.format("%d 件（ほかに保有 %d 件）", nplan, #accepted)
                  or string.format("%d 件", nplan),
                text = text },
    levels = levels, by_process = by_process, by_medium = media, by_importance = by_importance,
    method = {
      "重要度は、機密性・完全性・可用性の評価値（3〜1）の最大値としました。個人情報・要配慮個人情報・特定個人情報を含む資産は3としています。",
      "被害発生可能性は、媒体・保存先ごとの脅威の起こりやすさ（3〜1）と脆弱性（3〜1）から、ガイドラインの対応表で求めました。",
      "脆弱性の初期値は、媒体・保存先ごとに関連する自社診断の回答（実施している＝1、一部実施している＝2、実施していない・わからない＝3）の平均を四捨五入して求めました。第2回訪問後に実際の対策の状況を確かめて見直した媒体・保存先は、見直した値を使っています。",
      string.format("リスク値＝重要度×被害発生可能性。6〜9を大、4を中、1〜3を小とし、%d以上の資産に対策を計画しました。", M.threshold),
    },
    top = top, plan_groups = groups, has_plan = nplan > 0,
    review = {
      date = documents.month(documents.add_days(date, M.review_days)),
      owner = c.contact_name and ((c.contact_role or "") .. " " .. c.contact_name) or "（未定）",
      triggers = triggers,
    },
  }
end

M.docs = {
  ledger = document {
    id = "asset-ledger", title = "情報資産管理台帳", file = "情報資産管理台帳.xlsx",
    worksheet = "asset-ledger", role = "pack", visits = { 1 },
  },
  risk_sheet = document {
    id = "risk-sheet", title = "リスク分析シート", file = "リスク分析シート.xlsx",
    worksheet = "risk-threats", role = "report", visits = { 2, 3 }, requires = "held",
    needs = { "asset-ledger" },
  },
  report = document {
    id = "risk-report", title = "リスク分析結果報告書", file = "リスク分析結果報告書.docx",
    template = "assets/リスク分析結果報告書.docx", role = "report", visits = { 3 }, requires = "held",
    needs = { "asset-ledger", "risk-threats" }, context = M.report_context,
  },
}

return M
