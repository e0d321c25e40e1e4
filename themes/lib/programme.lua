-- The programme's results of a fiscal year (事業実施結果, seed 001 §2.2.7 – §2.2.9):
-- which tables the secretariat reports, what each counts and how, from the
-- year's sessions, consultations, engagements and questionnaires as the engine
-- hands them over. Every table is a worksheet spec with its rows (one sheet of
-- the data workbook, one table of the report), so that the engine writes and
-- prints them without knowing what they mean.
local pool = require "pool"
local profile = require "profile"
local consult = require "consult"
local survey = require "survey"
local dates = require "dates"

local M = {}

-- --- What an engagement and a consultation count as ------------------------------

-- An engagement that ended before its first visit was held withdrew before the
-- start (事前辞退): it was matched, but the guidance was not carried out.
local function withdrew(e)
  return e.state == "terminated" and (e.held or 0) == 0
end

local function conducted(e)
  return not withdrew(e)
end

local function ended(e)
  return e.state == "completed" or e.state == "terminated"
end

-- The programme region of an engagement or consultation: the session's, else
-- that of the company's prefecture; OTHER when neither gives one.
local OTHER = "その他の地域"
local function region_of(x)
  return pool.region_of({ region = x.region, prefecture = x.prefecture }) or OTHER
end

-- The report's industry of a company: the profile's division of it (卸売業 and
-- 小売業 are one division), 未登録 when the profile has none.
local UNKNOWN_INDUSTRY = "未登録"
local division = {}
local industry_order = {}
for _, i in ipairs(profile.industries) do
  local d = i.division or i.name
  if not division[d] then industry_order[#industry_order + 1] = d end
  division[i.name] = d
  division[d] = d
end
local function industry_of(x)
  local i = x.industry
  if i == nil or i == "" then return UNKNOWN_INDUSTRY end
  return division[i] or i
end

-- The theme a consultation is about: the engagement's it led to, else the one
-- the expert proposed, else the company's wish.
local function consultation_theme(k, engagement_theme)
  return engagement_theme[k.engagement_id or 0] or k.proposed_theme or k.wished_theme
end

local function count_by(list, key_of)
  local n = {}
  for _, x in ipairs(list) do
    local k = key_of(x)
    if k ~= nil then n[k] = (n[k] or 0) + 1 end
  end
  return n
end

local function keys_in_order(order, present)
  local out = {}
  for _, k in ipairs(order) do
    if present[k] then out[#out + 1] = k end
  end
  for k in pairs(present) do
    local known = false
    for _, o in ipairs(order) do known = known or o == k end
    if not known then out[#out + 1] = k end
  end
  table.sort(out, function(a, b)
    local ia, ib
    for i, o in ipairs(order) do
      if o == a then ia = i end
      if o == b then ib = i end
    end
    if ia and ib then return ia < ib end
    if ia or ib then return ia ~= nil end
    return a < b
  end)
  return out
end

local function pct(n, d)
  return d > 0 and n / d or 0
end

local function pct_text(n, d)
  return d > 0 and string.format("%.1f%%", 100 * n / d) or "—"
end

-- --- Tables -------------------------------------------------------------------------

-- A table of figure `fig` ("2-53"): a worksheet spec (id t2-53, sheet 図表2-53)
-- with its `rows`, an optional `total` row, a `lead` (what it shows, in one
-- sentence) and `empty` (printed in place of no rows).
local function figure(fig, title, columns, rows, extra)
  local t = {
    figure = fig,
    id = "t" .. fig:gsub("%((%d+)%)", "-%1"),
    sheet = "図表" .. fig,
    title = "図表 " .. fig .. " " .. title,
    columns = columns,
    rows = rows,
    output = true,
    freeze = true,
    print = { landscape = #columns > 6, fit_width = true, repeat_header = true },
    empty = "該当なし",
  }
  for k, v in pairs(extra or {}) do t[k] = v end
  if t.charts then
    for _, c in ipairs(t.charts) do
      c.rows = c.rows or #rows
      c.title = c.title or title
    end
    if #rows == 0 then t.charts = nil end
  end
  return t
end

local function col(key, header, kind, width, format)
  return { key = key, header = header, type = kind or "text", width = width, format = format }
end

local function theme_label(t)
  return string.format("%d. %s", t.number, t.title)
end

-- A table of one question's answers: each choice with its count and share of
-- those who answered, and a chart of kind `chart`.
local function tally_table(fig, title, q, chart, extra)
  local rows = {}
  local n = q and q.n or 0
  for _, c in ipairs(q and q.choices or {}) do
    rows[#rows + 1] = { choice = c.choice, count = c.count, share = c.share }
  end
  local t = figure(fig, title, {
    col("choice", "回答", "text", 44),
    col("count", "件数", "integer", 8),
    col("share", "割合", "number", 8, "0.0%"),
  }, rows, {
    total = { choice = "回答数", count = n },
    lead = q and string.format("「%s」（回答 %d 件）", q.text, n) or nil,
    charts = { { type = chart, categories = "choice", values = { "count" } } },
  })
  for k, v in pairs(extra or {}) do t[k] = v end
  if n == 0 then t.charts = nil end
  return t
end

local function question(tallies, id)
  for _, q in ipairs(tallies or {}) do
    if q.id == id then return q end
  end
end

-- A question's answers per theme: a row a theme, a column a choice.
local function by_theme_table(fig, title, themes, res, who, qid)
  local cols = { col("theme", "指導テーマ", "text", 34) }
  local proto
  for _, t in ipairs(themes) do
    local bt = res.by_theme[t.id]
    proto = proto or (bt and question(bt[who], qid))
  end
  proto = proto or question(res[who], qid)
  local keys = {}
  for i, c in ipairs(proto and proto.choices or {}) do
    keys[i] = "c" .. i
    cols[#cols + 1] = col(keys[i], c.choice, "integer", 10)
  end
  cols[#cols + 1] = col("n", "回答数", "integer", 8)
  local rows, total = {}, { theme = "計", n = 0 }
  for _, t in ipairs(themes) do
    local bt = res.by_theme[t.id]
    local q = bt and question(bt[who], qid)
    local r = { theme = theme_label(t), n = q and q.n or 0 }
    for i, c in ipairs(q and q.choices or {}) do
      r[keys[i]] = c.count
      total[keys[i]] = (total[keys[i]] or 0) + c.count
    end
    for i = 1, #keys do r[keys[i]] = r[keys[i]] or 0 end
    total.n = total.n + r.n
    rows[#rows + 1] = r
  end
  return figure(fig, title, cols, rows, {
    total = total,
    lead = proto and string.format("「%s」（回答 %d 件）", proto.text, total.n) or nil,
    charts = total.n > 0 and { { type = "bar", stacked = true, categories = "theme", values = keys } }
      or nil,
  })
end

-- --- The year ----------------------------------------------------------------------

-- Which engagements, consultations and questionnaires the report is about:
-- those of the year handed over, narrowed to input.region and input.theme.
local function narrowed(input)
  local function keep(region, theme)
    return (not input.region or region == input.region) and (not input.theme or theme == input.theme)
  end
  local out = { engagements = {}, consultations = {}, sessions = {}, responses = {}, overall = {} }
  local theme_of = {}
  for _, e in ipairs(input.engagements or {}) do
    theme_of[e.id] = e.theme
    if keep(region_of(e), e.theme) then out.engagements[#out.engagements + 1] = e end
  end
  local kept = {}
  for _, e in ipairs(out.engagements) do kept[e.id] = e end
  for _, k in ipairs(input.consultations or {}) do
    local theme = consultation_theme(k, theme_of)
    if keep(region_of(k), input.theme and theme or nil) then
      out.consultations[#out.consultations + 1] = k
    end
  end
  for _, s in ipairs(input.sessions or {}) do
    if not input.region or s.region == input.region then out.sessions[#out.sessions + 1] = s end
  end
  local experts = {}
  for _, r in ipairs(input.responses or {}) do
    local e = kept[r.id]
    if e and conducted(e) then
      out.responses[#out.responses + 1] = r
      experts[e.expert_id] = true
    end
  end
  for _, o in ipairs(input.overall or {}) do
    if (not input.region and not input.theme) or experts[o.expert_id] then
      out.overall[#out.overall + 1] = o
    end
  end
  return out
end

-- The names a published report may not print, replaced by numbers in the order
-- of the ids: 指導専門家 1, 2, …
local function anonymiser(list, id_key, name_key, label)
  local ids = {}
  for _, x in ipairs(list) do
    if x[id_key] then ids[x[id_key]] = x[name_key] end
  end
  local order = {}
  for id in pairs(ids) do order[#order + 1] = id end
  table.sort(order)
  local no = {}
  for i, id in ipairs(order) do no[id] = string.format("%s %d", label, i) end
  return function(id, name) return no[id] or name end
end

-- What is wrong with the narrowing asked for (input.region): nil, or the message.
function M.check(input)
  if input.region == nil then return nil end
  local names = {}
  for _, r in ipairs(pool.regions) do
    if r.name == input.region then return nil end
    names[#names + 1] = r.name
  end
  if input.region == OTHER then return nil end
  return string.format("--region: 「%s」は事業の地域（%s、%s）のいずれでもありません", input.region,
                       table.concat(names, "、"), OTHER)
end

-- The tables of the year: input = { year, today, region, theme, anonymous,
-- themes = { { id, number, title, visits } }, engagements, consultations,
-- sessions, responses, overall } (docs/programme-format.md). Returns
-- { year, year_text, title, filters, empty, summary = { lines }, tables = { … } }.
function M.tables(input)
  local themes = {}
  for _, t in ipairs(input.themes or {}) do
    if not input.theme or t.id == input.theme then themes[#themes + 1] = t end
  end
  table.sort(themes, function(a, b) return (a.number or 99) < (b.number or 99) end)
  local y = narrowed(input)
  local matched = y.engagements
  local done = {}
  for _, e in ipairs(matched) do
    if conducted(e) then done[#done + 1] = e end
  end
  local regions = {}
  for _, r in ipairs(pool.regions) do regions[#regions + 1] = r.name end
  if input.region then regions = { input.region } end
  local function with_other(list, region_key)
    local out = { table.unpack(regions) }
    for _, x in ipairs(list) do
      if region_key(x) == OTHER then out[#out + 1] = OTHER; break end
    end
    return out
  end
  local anon_expert = input.anonymous and anonymiser(matched, "expert_id", "expert", "指導専門家")
    or function(_, name) return name end

  local tables = {}
  local function add(t) tables[#tables + 1] = t end
  local theme_cols = {}
  for i, t in ipairs(themes) do theme_cols[i] = col(t.id, theme_label(t), "integer", 12) end
  local theme_keys = {}
  for i, t in ipairs(themes) do theme_keys[i] = t.id end

  -- 2-53: engagements by region and theme, and the visits held.
  do
    local rows, total = {}, { region = "総計", total = 0 }
    for _, t in ipairs(themes) do total[t.id] = 0 end
    for _, r in ipairs(with_other(done, region_of)) do
      local row = { region = r, total = 0 }
      for _, t in ipairs(themes) do row[t.id] = 0 end
      for _, e in ipairs(done) do
        if region_of(e) == r and row[e.theme] then
          row[e.theme] = row[e.theme] + 1
          row.total = row.total + 1
          total[e.theme] = total[e.theme] + 1
          total.total = total.total + 1
        end
      end
      rows[#rows + 1] = row
    end
    local by_held, visits = {}, 0
    for _, e in ipairs(done) do
      by_held[e.held or 0] = (by_held[e.held or 0] or 0) + 1
      visits = visits + (e.held or 0)
    end
    local parts = {}
    local helds = {}
    for h in pairs(by_held) do helds[#helds + 1] = h end
    table.sort(helds, function(a, b) return a > b end)
    for _, h in ipairs(helds) do
      parts[#parts + 1] = string.format("(%d社×%d回)", by_held[h], h)
    end
    local cols = { col("region", "地域", "text", 14) }
    for _, c in ipairs(theme_cols) do cols[#cols + 1] = c end
    cols[#cols + 1] = col("total", "総計", "integer", 8)
    add(figure("2-53", "マネジメント指導実施件数等", cols, rows, {
      total = total,
      lead = string.format("マネジメント指導を実施した企業は %d 社、総訪問回数は %s = %d 回。",
                           #done, #parts > 0 and table.concat(parts, " + ") or "0", visits),
      visits = visits,
      charts = { { type = "bar", stacked = true, categories = "region", values = theme_keys } },
    }))
  end

  -- 2-54: experts and companies per region.
  do
    local rows, total = {}, { region = "計", experts = 0, companies = 0 }
    local all_x, all_c = {}, {}
    for _, r in ipairs(with_other(done, region_of)) do
      local xs, cs = {}, {}
      local nx, nc = 0, 0
      for _, e in ipairs(done) do
        if region_of(e) == r then
          if not xs[e.expert_id] then xs[e.expert_id] = true; nx = nx + 1 end
          if not cs[e.company_id] then cs[e.company_id] = true; nc = nc + 1 end
          all_x[e.expert_id] = true
          all_c[e.company_id] = true
        end
      end
      rows[#rows + 1] = { region = r, experts = nx, companies = nc }
    end
    for _ in pairs(all_x) do total.experts = total.experts + 1 end
    for _ in pairs(all_c) do total.companies = total.companies + 1 end
    add(figure("2-54", "地域ごと指導専門家人数・指導先企業数", {
      col("region", "地域", "text", 14),
      col("experts", "指導専門家人数", "integer", 14),
      col("companies", "指導先企業数", "integer", 14),
    }, rows, {
      total = total,
      note = "計は重複を除いた人数・企業数（複数の地域で指導した専門家は各地域に数える）。",
      charts = { { type = "column", categories = "region", values = { "experts", "companies" } } },
    }))
  end

  -- 2-55: companies per theme.
  do
    local n = count_by(done, function(e) return e.theme end)
    local rows, sum = {}, 0
    for _, t in ipairs(themes) do
      rows[#rows + 1] = { theme = theme_label(t), count = n[t.id] or 0 }
      sum = sum + (n[t.id] or 0)
    end
    add(figure("2-55", "指導テーマごと件数", {
      col("theme", "指導テーマ", "text", 36),
      col("count", "指導先企業数", "integer", 12),
    }, rows, {
      total = { theme = "計", count = sum },
      charts = { { type = "bar", categories = "theme", values = { "count" } } },
    }))
  end

  -- 2-56: engagements per expert and theme.
  do
    local experts, order = {}, {}
    for _, e in ipairs(done) do
      local x = experts[e.expert_id]
      if not x then
        x = { id = e.expert_id, name = e.expert, regions = {}, by = {}, total = 0 }
        experts[e.expert_id] = x
        order[#order + 1] = x
      end
      local r = region_of(e)
      x.regions[r] = true
      x.by[e.theme] = (x.by[e.theme] or 0) + 1
      x.total = x.total + 1
    end
    for _, x in ipairs(order) do x.shown = anon_expert(x.id, x.name) end
    table.sort(order, function(a, b)
      if input.anonymous then return a.id < b.id end
      return a.name < b.name
    end)
    local rows, total = {}, { no = "合計", total = 0 }
    for i, x in ipairs(order) do
      local row = { no = tostring(i), expert = x.shown, region = table.concat(keys_in_order(regions, x.regions), "・"),
                    total = x.total }
      for _, t in ipairs(themes) do
        row[t.id] = x.by[t.id] or 0
        total[t.id] = (total[t.id] or 0) + row[t.id]
      end
      total.total = total.total + x.total
      rows[#rows + 1] = row
    end
    for _, t in ipairs(themes) do total[t.id] = total[t.id] or 0 end
    local cols = { col("no", "No.", "text", 6), col("expert", "指導専門家", "text", 18),
                   col("region", "地域", "text", 12) }
    for _, c in ipairs(theme_cols) do cols[#cols + 1] = c end
    cols[#cols + 1] = col("total", "計", "integer", 6)
    add(figure("2-56", "指導専門家ごと・テーマごと指導件数", cols, rows, { total = total }))
  end

  -- 2-64: matched companies by region and industry (withdrawals included).
  local industries_seen = {}
  for _, e in ipairs(matched) do industries_seen[industry_of(e)] = true end
  local kons = {}
  for _, k in ipairs(y.consultations) do
    if k.recorded or k.outcome then kons[#kons + 1] = k end
  end
  for _, k in ipairs(kons) do industries_seen[industry_of(k)] = true end
  local industries = keys_in_order(industry_order, industries_seen)
  do
    local rlist = with_other(matched, region_of)
    local cols = { col("industry", "業種", "text", 30) }
    local rkeys = {}
    for i, r in ipairs(rlist) do
      rkeys[i] = "r" .. i
      cols[#cols + 1] = col(rkeys[i], r, "integer", 10)
    end
    cols[#cols + 1] = col("total", "計", "integer", 8)
    local rows, total = {}, { industry = "計", total = 0 }
    for _, k in ipairs(rkeys) do total[k] = 0 end
    for _, ind in ipairs(industries) do
      local row = { industry = ind, total = 0 }
      for i, r in ipairs(rlist) do
        local n = 0
        for _, e in ipairs(matched) do
          if industry_of(e) == ind and region_of(e) == r then n = n + 1 end
        end
        row[rkeys[i]] = n
        row.total = row.total + n
        total[rkeys[i]] = total[rkeys[i]] + n
      end
      total.total = total.total + row.total
      if row.total > 0 then rows[#rows + 1] = row end
    end
    add(figure("2-64", "マネジメント指導のマッチング企業（地域別・業種別）", cols, rows, {
      total = total,
      lead = string.format("マネジメント指導にマッチングした企業は %d 社（n=%d）。", #matched, #matched),
      charts = { { type = "bar", stacked = true, categories = "industry", values = rkeys } },
    }))
  end

  -- 2-65: from consultation to guidance, by industry.
  do
    local rows, tk, tm = {}, 0, 0
    for _, ind in ipairs(industries) do
      local nk, nm = 0, 0
      for _, k in ipairs(kons) do
        if industry_of(k) == ind then
          nk = nk + 1
          if k.outcome == "engaged" then nm = nm + 1 end
        end
      end
      if nk > 0 then
        rows[#rows + 1] = { industry = ind, consultations = nk, matched = nm, rate = pct(nm, nk) }
        tk, tm = tk + nk, tm + nm
      end
    end
    add(figure("2-65", "マネジメント指導への移行（業種別）", {
      col("industry", "業種", "text", 30),
      col("consultations", "個別相談", "integer", 10),
      col("matched", "マネジメント指導へ移行", "integer", 12),
      col("rate", "移行率", "number", 8, "0.0%"),
    }, rows, {
      total = { industry = "計", consultations = tk, matched = tm, rate = pct(tm, tk) },
      lead = string.format("個別相談 %d 社のうち %d 社がマネジメント指導に移行した（移行率 %s）。",
                           tk, tm, pct_text(tm, tk)),
      charts = { { type = "column", categories = "industry", values = { "consultations", "matched" } } },
    }))
  end

  -- 2-66: why consultations did not go on to guidance, and the details of その他.
  do
    local declined = {}
    for _, k in ipairs(kons) do
      if k.outcome == "declined" then declined[#declined + 1] = k end
    end
    local n = count_by(declined, function(k) return k.decline_reason end)
    local rows = {}
    for _, r in ipairs(consult.decline_reasons) do
      rows[#rows + 1] = { reason = string.format("%d.%s", r.no, r.text), count = n[r.id] or 0 }
    end
    add(figure("2-66", "マネジメント指導へ移行しなかった理由", {
      col("reason", "辞退パターン", "text", 36),
      col("count", "件数", "integer", 8),
    }, rows, {
      total = { reason = "計", count = #declined },
      lead = string.format("個別相談の後、マネジメント指導へ移行しなかった企業は %d 社（n=%d）。",
                           #declined, #declined),
      charts = #declined > 0 and { { type = "pie", categories = "reason", values = { "count" } } } or nil,
    }))
    local details, order = {}, {}
    for _, k in ipairs(declined) do
      local r
      for _, x in ipairs(consult.decline_reasons) do
        if x.id == k.decline_reason then r = x end
      end
      if r and r.detail then
        local d = k.decline_detail or ""
        if not details[d] then details[d] = 0; order[#order + 1] = d end
        details[d] = details[d] + 1
      end
    end
    local drows = {}
    for _, d in ipairs(order) do drows[#drows + 1] = { detail = d, count = details[d] } end
    table.sort(drows, function(a, b)
      if a.count ~= b.count then return a.count > b.count end
      return a.detail < b.detail
    end)
    add(figure("2-66", "「その他」の理由の内訳", {
      col("detail", "理由", "text", 50),
      col("count", "件数", "integer", 8),
    }, drows, { id = "t2-66-detail", sheet = "図表2-66（内訳）", title = "図表 2-66（内訳）「その他」の理由" }))
  end

  -- 2-68 and 2-69: engagements by region and theme, by industry and theme.
  local function long_table(fig, title, head, groups, group_of)
    local rows = {}
    for _, g in ipairs(groups) do
      local first = true
      for _, t in ipairs(themes) do
        local n = 0
        for _, e in ipairs(done) do
          if group_of(e) == g and e.theme == t.id then n = n + 1 end
        end
        if n > 0 then
          rows[#rows + 1] = { group = first and g or "", theme = theme_label(t), count = n }
          first = false
        end
      end
    end
    return figure(fig, title, {
      col("group", head, "text", 28),
      col("theme", "指導テーマ", "text", 36),
      col("count", "件数", "integer", 8),
    }, rows, { total = { group = "計", theme = "", count = #done } })
  end
  add(long_table("2-68", "地域別・マネジメント指導実施件数", "地域", with_other(done, region_of), region_of))
  do
    local n = count_by(done, industry_of)
    local order = keys_in_order(industry_order, n)
    local pos = {}
    for i, g in ipairs(order) do pos[g] = i end
    table.sort(order, function(a, b)
      if n[a] ~= n[b] then return n[a] > n[b] end
      return pos[a] < pos[b]
    end)
    add(long_table("2-69", "業種別・マネジメント指導実施件数", "業種", order, industry_of))
  end

  -- 2-70: how far each theme's engagements went; 2-71: why those that ended early did.
  do
    local most = 0
    for _, t in ipairs(themes) do most = math.max(most, t.visits or 3) end
    local same = true
    for _, t in ipairs(themes) do same = same and (t.visits or 3) == most end
    local cols = { col("theme", "指導テーマ", "text", 34), col("matched", "マッチング企業数", "integer", 10),
                   col("withdrew", "事前辞退", "integer", 8) }
    local early = {}
    for v = 1, most - 1 do
      early[v] = "early" .. v
      cols[#cols + 1] = col(early[v], string.format("%d回目の指導で終了", v), "integer", 10)
    end
    cols[#cols + 1] = col("completed", same and string.format("%d回の指導を終了", most) or "全回の指導を終了",
                          "integer", 10)
    cols[#cols + 1] = col("open", "実施中", "integer", 8)
    local rows, total = {}, { theme = "計", matched = 0, withdrew = 0, completed = 0, open = 0 }
    for _, k in ipairs(early) do total[k] = 0 end
    local function bump(row, k) row[k] = (row[k] or 0) + 1; total[k] = total[k] + 1 end
    for _, t in ipairs(themes) do
      local row = { theme = theme_label(t), matched = 0, withdrew = 0, completed = 0, open = 0 }
      for _, k in ipairs(early) do row[k] = 0 end
      for _, e in ipairs(matched) do
        if e.theme == t.id then
          bump(row, "matched")
          if withdrew(e) then bump(row, "withdrew")
          elseif e.state == "completed" then bump(row, "completed")
          elseif e.state == "terminated" then bump(row, early[e.held] or "completed")
          else bump(row, "open") end
        end
      end
      rows[#rows + 1] = row
    end
    local series = { "withdrew" }
    for _, k in ipairs(early) do series[#series + 1] = k end
    series[#series + 1] = "completed"
    series[#series + 1] = "open"
    add(figure("2-70", "指導テーマ別 マネジメント指導プログラム完了状況一覧", cols, rows, {
      total = total,
      lead = string.format("マッチングした %d 社のうち、%d 社が全回の指導を終了、%d 社が途中で終了、%d 社が開始前に辞退した。",
                           total.matched, total.completed, total.matched - total.completed - total.withdrew - total.open,
                           total.withdrew),
      charts = { { type = "bar", stacked = true, categories = "theme", values = series } },
    }))
    local rows71 = {}
    for _, e in ipairs(matched) do
      if e.state == "terminated" then
        local t
        for _, x in ipairs(themes) do if x.id == e.theme then t = x end end
        rows71[#rows71 + 1] = {
          theme = t and theme_label(t) or e.theme,
          when = withdrew(e) and "事前辞退" or string.format("%d回目の指導で終了", e.held),
          reason = e.reason or "",
        }
      end
    end
    add(figure("2-71", "指導を途中で終了した企業の終了理由", {
      col("theme", "指導テーマ", "text", 30),
      col("when", "終了時点", "text", 16),
      col("reason", "理由", "text", 56),
    }, rows71, {}))
  end

  -- The questionnaires (2-57 … 2-63, 2-72 … 2-79).
  local res = survey.results({ engagements = y.responses, overall = y.overall })
  do
    local rows, total = {}, { theme = "計", n = 0 }
    local marks = { "◎", "○", "△", "unknown" }
    local keys = { x = { "x1", "x2", "x3", "x4" }, c = { "c1", "c2", "c3", "c4" } }
    for _, k in ipairs(keys.x) do total[k] = 0 end
    for _, k in ipairs(keys.c) do total[k] = 0 end
    local by = {}
    for _, s in ipairs(res.summary) do by[s.theme] = s end
    for _, t in ipairs(themes) do
      local s = by[t.id]
      local row = { theme = theme_label(t), n = 0 }
      for _, e in ipairs(done) do
        if e.theme == t.id and ended(e) then row.n = row.n + 1 end
      end
      for i, m in ipairs(marks) do
        row[keys.x[i]] = s and s.expert[m] or 0
        row[keys.c[i]] = s and s.company[m] or 0
        total[keys.x[i]] = total[keys.x[i]] + row[keys.x[i]]
        total[keys.c[i]] = total[keys.c[i]] + row[keys.c[i]]
      end
      total.n = total.n + row.n
      rows[#rows + 1] = row
    end
    local cols = { col("theme", "指導テーマ", "text", 30), col("n", "実施件数", "integer", 8) }
    local names = { "◎", "○", "△", "不明" }
    for i = 1, 4 do cols[#cols + 1] = col(keys.x[i], "専門家 " .. names[i], "integer", 8) end
    for i = 1, 4 do cols[#cols + 1] = col(keys.c[i], "企業 " .. names[i], "integer", 8) end
    add(figure("2-72", "指導テーマ別 指導専門家・企業 マネジメント指導実施評価一覧", cols, rows, {
      total = total,
      note = "◎は「指導が大変成功した」（専門家）・「当初の目的を十分達成できた」（企業）、○は「指導が成功した」・"
        .. "「ある程度達成できた」、△はそれ以下の回答、不明は指導終了後アンケートが返ってきていないもの。",
    }))
    for _, t in ipairs(themes) do
      local cross
      for _, c in ipairs(res.cross) do
        if c.theme == t.id then cross = c end
      end
      local ex = cross and cross.experts or survey.index(survey.forms.engagement)[survey.marks.expert.q].choices
      local co = cross and cross.companies or survey.index(survey.forms.company)[survey.marks.company.q].choices
      local cols = { col("company", "指導先企業 ＼ 指導専門家", "text", 40) }
      for j, x in ipairs(ex) do cols[#cols + 1] = col("x" .. j, x, "integer", 12) end
      local rows = {}
      for i, c in ipairs(co) do
        local row = { company = c }
        for j = 1, #ex do row["x" .. j] = cross and cross.counts[i][j] or 0 end
        rows[#rows + 1] = row
      end
      add(figure("2-" .. (72 + t.number), "マネジメント指導の評価（" .. t.title .. "）", cols, rows, {
        note = "行は企業の回答、列は専門家の回答。どちらも返ってきた指導の件数。",
      }))
    end
  end
  add(tally_table("2-57", "マネジメント指導の成果（企業のサイバーセキュリティ対策への貢献）に対する考え方（指導専門家の意見）",
                  question(res.overall, "q2_1"), "pie"))
  add(tally_table("2-58", "マネジメント指導が登録セキスペの活躍促進につながるかどうか（指導専門家の意見）",
                  question(res.overall, "q2_2"), "pie"))
  for i, q in ipairs({ { "q2_4", "実施回数" }, { "q2_5", "実施期間" }, { "q2_7", "報酬" } }) do
    add(tally_table("2-59(" .. i .. ")", "マネジメント指導の" .. q[2] .. "についての意見（指導専門家の意見）",
                    question(res.overall, q[1]), "pie"))
  end
  for i, q in ipairs({ { "q1_3_3", "実施回数" }, { "q1_3_5", "指導時間" } }) do
    add(tally_table("2-60(" .. i .. ")", "マネジメント指導の" .. q[2] .. "についての意見（指導先企業の意見）",
                    question(res.company, q[1]), "pie"))
  end
  add(tally_table("2-61", "個別相談の必要性（指導先企業の意見）", question(res.company, "q1_3_1"), "pie"))
  add(by_theme_table("2-62", "指導内容に対する評価（指導専門家の意見）", themes, res, "expert",
                     survey.marks.expert.q))
  add(by_theme_table("2-63", "指導内容に対する評価（指導先企業の意見）", themes, res, "company",
                     survey.marks.company.q))
  add(tally_table("2-78", "今後指導を受ける場合の希望金額（1回あたり）", res.fees, "bar"))
  add(tally_table("2-79", "今後指導を希望するテーマ", res.desired_themes, "bar",
                  { note = "複数選択のため、割合の合計は 100% を超えることがある。" }))

  -- The annex: every engagement of the year (left out of an anonymous report).
  if not input.anonymous then
    local state = { matched = "開始前", active = "実施中", completed = "完了", terminated = "途中終了" }
    local rows = {}
    local list = { table.unpack(matched) }
    table.sort(list, function(a, b) return a.id < b.id end)
    for _, e in ipairs(list) do
      local t
      for _, x in ipairs(themes) do if x.id == e.theme then t = x end end
      rows[#rows + 1] = {
        id = e.id, company = e.company, region = region_of(e), industry = industry_of(e),
        theme = t and theme_label(t) or e.theme, expert = e.expert,
        visits = string.format("%d／%d", e.held or 0, e.visits or 0),
        state = withdrew(e) and "事前辞退" or state[e.state] or e.state,
      }
    end
    add(figure("annex", "マネジメント指導実施企業一覧", {
      col("id", "No.", "integer", 6), col("company", "指導先企業", "text", 28),
      col("region", "地域", "text", 10), col("industry", "業種", "text", 24),
      col("theme", "指導テーマ", "text", 30), col("expert", "指導専門家", "text", 14),
      col("visits", "訪問（実施／予定）", "text", 10), col("state", "状況", "text", 10),
    }, rows, { id = "annex", sheet = "別表 実施企業一覧", title = "別表 マネジメント指導実施企業一覧", annex = true }))
  end

  -- In the order of the programme's report: by figure number, a figure's
  -- parts in their order, its breakdown after it, the annex last.
  local function place(t)
    if t.annex then return math.huge, 0 end
    if t.id == "summary" then return -1, 0 end
    local major = tonumber(t.figure:match("^%d+%-(%d+)")) or 0
    local minor = tonumber(t.figure:match("%((%d+)%)")) or (t.id:match("detail$") and 99 or 0)
    return major, minor
  end
  for i, t in ipairs(tables) do t.seq = i end
  table.sort(tables, function(a, b)
    local am, an = place(a)
    local bm, bn = place(b)
    if am ~= bm then return am < bm end
    if an ~= bn then return an < bn end
    return a.seq < b.seq
  end)
  for _, t in ipairs(tables) do t.seq = nil end

  local held = 0
  for _, e in ipairs(done) do held = held + (e.held or 0) end
  local empty = #matched == 0 and #y.consultations == 0 and #y.sessions == 0
  local filters = {}
  if input.region then filters[#filters + 1] = input.region .. "地域" end
  if input.theme then
    for _, t in ipairs(themes) do filters[#filters + 1] = "テーマ「" .. t.title .. "」" end
  end
  local year_text = dates.fiscal_year(input.year)
  local outcome = count_by(kons, function(k) return k.outcome end)
  local state = count_by(matched, function(e)
    return withdrew(e) and "withdrew" or e.state
  end)
  local overview = {}
  local function line(item, n, unit) overview[#overview + 1] = { item = item, count = n, unit = unit } end
  line("相談会", #y.sessions, "回")
  line("個別相談", #kons, "件")
  line("　うちマネジメント指導へ移行", outcome.engaged or 0, "件")
  line("　うち移行しなかった", outcome.declined or 0, "件")
  line("マネジメント指導のマッチング", #matched, "社")
  line("　うち開始前に辞退", state.withdrew or 0, "社")
  line("マネジメント指導の実施", #done, "社")
  line("　うち全回の指導を終了", state.completed or 0, "社")
  line("　うち途中で終了", state.terminated or 0, "社")
  line("　うち実施中", (state.active or 0) + (state.matched or 0), "社")
  line("総訪問回数", held, "回")
  line("指導終了後アンケート（企業）の回収", res.returned.company, "件")
  line("指導終了後アンケート（指導専門家・指導ごと）の回収", res.returned.expert, "件")
  line("指導専門家アンケート（全体）の回収", res.returned.overall, "件")
  table.insert(tables, 1, figure("0", "実施状況の概要", {
    col("item", "項目", "text", 44), col("count", "件数", "integer", 8), col("unit", "単位", "text", 6),
  }, overview, { id = "summary", sheet = "概要", title = "実施状況の概要", empty = nil }))
  local summary
  if empty then
    summary = { year_text .. "には、記録された相談会・個別相談・マネジメント指導がありません。" }
  else
    summary = {
      string.format("相談会 %d 回、個別相談 %d 件（うちマネジメント指導へ移行 %d 件）。", #y.sessions, #kons,
                    count_by(kons, function(k) return k.outcome end).engaged or 0),
      string.format("マネジメント指導のマッチング %d 社、実施 %d 社、総訪問回数 %d 回。", #matched, #done, held),
      string.format("指導終了後アンケートの回収: 企業 %d 件、指導専門家 %d 件（指導ごと）、指導専門家 %d 件（全体）。",
                    res.returned.company, res.returned.expert, res.returned.overall),
    }
  end
  -- The fields above each table's sheet: paths into the report and the table
  -- (the engine resolves them).
  for _, t in ipairs(tables) do
    t.fields = { { label = "年度", value = "year_text" } }
    if #filters > 0 then t.fields[#t.fields + 1] = { label = "対象", value = "filters" } end
    if t.lead then t.fields[#t.fields + 1] = { label = "概要", value = "lead" } end
    if t.note then t.fields[#t.fields + 1] = { label = "注", value = "note" } end
    t.fields[#t.fields + 1] = { label = "作成日", value = "today" }
    -- A chart goes under its table, two rows below: the title, the fields,
    -- a blank row and the header come first.
    for _, c in ipairs(t.charts or {}) do
      c.anchor = "A" .. (#t.fields + 3 + #t.rows + (t.total and 1 or 0) + 2)
      c.width = math.max(480, math.min(900, 60 * #t.columns + 200))
      c.height = c.type == "bar" and math.max(288, 40 + 28 * c.rows) or 288
    end
  end
  local suffix = string.format("%d年度", input.year)
  if input.region then suffix = suffix .. "_" .. input.region end
  if input.theme then suffix = suffix .. "_" .. input.theme end
  if input.anonymous then suffix = suffix .. "_公開用" end
  return {
    year = input.year,
    year_text = year_text,
    files = { report = "事業実施結果報告_" .. suffix .. ".docx",
              workbook = "事業実施結果データ_" .. suffix .. ".xlsx" },
    title = year_text .. " マネジメント指導（テーマ別）事業実施結果報告",
    filters = #filters > 0 and table.concat(filters, "・") or nil,
    empty = empty,
    anonymous = input.anonymous == true,
    summary = summary,
    tables = empty and { tables[1] } or tables,
    today = dates.text(input.today),
  }
end

M.template = "programme/事業実施結果報告.docx"

return M
