-- The documents every theme shares (docs/documents.md): the pack handed to
-- the company before each visit, the expert's report to the secretariat
-- after it, the final report, the schedule, and the date helpers they use.
-- Templates live in templates/common/ (made by templates/make-templates).
--
-- Each `context` function receives the engine's ctx and returns exactly the
-- values its template uses; every value a template prints is given (an
-- unknown one as ""), so `bansou render --strict` passes. The shape of each
-- context is written above its function.
local dates = require "dates"
local selfdiag = require "selfdiag"
local profile = require "profile"
local survey = require "survey"

local M = {}

-- Settings a theme or a workspace override may change.
M.start_time = "10:00"        -- when the on-site agenda starts unless the visit's time was given
M.prep_days = 14              -- the schedule's preparation span before a visit
M.request_lead_days = 7       -- requests are due this many days before the visit
M.place = "貴社事業所"          -- where a visit on site is held unless its place was given
M.online_place = "オンライン（Web会議）" -- where an online visit is held unless told otherwise
M.max_recommendations = 5     -- recommendations taken from the self-diagnosis

-- --- Dates ---------------------------------------------------------------
-- Every date is printed one way, by themes/lib/dates.lua: 「令和8年4月10日
-- （2026年4月10日）」. `wareki` and `both` are that same function under the
-- names the themes know.

M.dates = dates
M.wareki = dates.text
M.both = dates.text
M.month = dates.month

local parse_date = dates.parse

-- Noon, so that no clock change can move the day.
local function date_time(y, m, d)
  return os.time { year = y, month = m, day = d, hour = 12, min = 0, sec = 0 }
end

-- The date n days after `date` (before it when n < 0).
function M.add_days(date, n)
  local y, m, d = parse_date(date)
  if not y then
    error("add_days: expected a date YYYY-MM-DD, got " .. tostring(date), 2)
  end
  return os.date("%Y-%m-%d", date_time(y, m, d + n))
end

local weekdays = { "日", "月", "火", "水", "木", "金", "土" }

-- The date of visit `n` of the engagement: held, else planned; nil when
-- neither is set.
function M.visit_date_of(ctx, n)
  for _, v in ipairs(ctx.visits or {}) do
    if v.n == n then
      return v.held_date or v.planned_date
    end
  end
  return nil
end

-- The date of visit `n` (held, else planned), else today: the date a
-- document of that visit carries.
function M.visit_date_or_today(ctx, n)
  return M.visit_date_of(ctx, n) or ctx.today
end

-- "2026-04-10" → "金"; "" for no date.
function M.weekday(date)
  local y, m, d = parse_date(date)
  if not y then
    return ""
  end
  return weekdays[os.date("*t", date_time(y, m, d)).wday]
end

-- --- Worksheet helpers ----------------------------------------------------

-- A column the company fills in: key, header, type and width, and any other
-- fields of a column (docs/worksheet-format.md) in `extra`.
function M.input_column(key, header, type, width, extra)
  local col = { key = key, header = header, type = type, input = true, width = width }
  for k, v in pairs(extra or {}) do col[k] = v end
  return col
end

-- The header fields of a sheet the company fills in: its name, who filled
-- it in and when (the labels may be given).
function M.filler_fields(who, when)
  return {
    { label = "会社名", value = "company.name" },
    { label = who or "記入者", input = "text" },
    { label = when or "記入日", input = "date" },
  }
end

-- 0.734 → "73%", 8 of 12 → "67%": rounded, as a reader works it out from
-- the counts beside it; "—" for no rate.
function M.percent(rate)
  return rate and string.format("%d%%", math.floor(rate * 100 + 0.5)) or "—"
end

-- --- Small helpers --------------------------------------------------------

local function text(v)
  if v == nil then
    return ""
  end
  return tostring(v)
end

local function blank(v)
  return v == nil or v == ""
end

-- A list of strings joined, or a string as it is.
local function join(list, sep)
  if type(list) ~= "table" then
    return text(list)
  end
  return table.concat(list, sep or "、")
end

-- Appends the strings of `list` to `out`, each once.
local function add_unique(out, seen, list)
  for _, s in ipairs(list or {}) do
    if not seen[s] then
      seen[s] = true
      out[#out + 1] = s
    end
  end
end

local function comma(n)
  local s = tostring(n)
  local out = s:reverse():gsub("(%d%d%d)", "%1,"):reverse()
  return (out:gsub("^,", ""))
end

-- 30000000 → "3,000万円"; 120000000 → "1億2,000万円".
local function yen(n)
  n = math.tointeger(n)
  if not n then
    return ""
  end
  if n >= 10000 and n % 10000 == 0 then
    local oku, man = n // 100000000, (n % 100000000) // 10000
    return (oku > 0 and (comma(oku) .. "億") or "") .. (man > 0 and (comma(man) .. "万") or "") .. "円"
  end
  return comma(n) .. "円"
end

local function hhmm(minutes)
  return string.format("%d:%02d", minutes // 60, minutes % 60)
end

local function parse_hhmm(s)
  local h, m = text(s):match("^(%d+):(%d%d)$")
  return h and (tonumber(h) * 60 + tonumber(m)) or 600
end

local phases = {
  { key = "prep", label = "事前準備" },
  { key = "onsite", label = "当日" },
  { key = "after", label = "事後" },
}

-- --- Engagement facts -----------------------------------------------------

local function visit_of(ctx, n)
  for _, v in ipairs(ctx.visits or {}) do
    if math.tointeger(v.n) == n then
      return v
    end
  end
  return nil
end

-- The visit being documented: its entry in ctx.visits (which carries the
-- ticks, `done`), else ctx.visit as given.
local function this_visit(ctx)
  local v = ctx.visit or {}
  local n = math.tointeger(v.n)
  local full = n and visit_of(ctx, n)
  if full and (v.done == nil or full.done ~= nil) then
    return full
  end
  return v
end

local function is_held(v)
  return v ~= nil and (v.state == "held" or v.state == "reported" or not blank(v.held_date))
end

-- The held date, else the planned date, else nil.
local function visit_date(v)
  if v == nil then
    return nil
  end
  if not blank(v.held_date) then
    return v.held_date
  end
  if not blank(v.planned_date) then
    return v.planned_date
  end
  return nil
end

local function done_set(v)
  local set = {}
  for _, id in ipairs(v and v.done or {}) do
    set[id] = true
  end
  return set
end

-- Counts the ticked items of one phase of a step.
local function count(step, key, done)
  local n, d = 0, 0
  for _, it in ipairs(step and step[key] or {}) do
    n = n + 1
    if done[it.id] then
      d = d + 1
    end
  end
  return d, n
end

-- What an item asks of whom, in one line, for lists that show one text.
local function item_text(it)
  if not blank(it.company) then
    return it.company
  end
  return "（専門家）" .. text(it.expert)
end

local state_labels = {
  matched = "マッチング済み",
  active = "指導中",
  completed = "完了",
  terminated = "中途終了",
}

local visit_state_labels = {
  pending = "未定",
  planned = "予定",
  prepared = "準備済み",
  held = "実施済み",
  reported = "報告済み",
}

-- The attendees a theme asks for: common.members writes
-- "出席者（WHO）を決める（NOTE）" into an item of the first step.
local function attendees_hint(ctx)
  for _, step in ipairs(ctx.steps or {}) do
    for _, it in ipairs(step.prep or {}) do
      local who, note = text(it.company):match("出席者（(.-)）を決める（(.-)）")
      if who then
        return who, note
      end
    end
  end
  return "経営者、情報セキュリティの担当者、テーマに関係する部署の責任者など", "各回2時間程度"
end

-- --- Shared parts of every context ----------------------------------------

-- company: every profile field as text, "（未登録）" where nothing is known,
-- plus `contact` (role and name), `addressee` ("総務部長 山田 太郎 様", else
-- "ご担当者様"), `employees_text`, `capital_text` and the
-- SME test (`sme`: "該当する" / "該当しない" / "判定できない", `sme_reason`).
local function company_view(c)
  c = c or {}
  local unknown = "（未登録）"
  local function or_unknown(v)
    return blank(v) and unknown or text(v)
  end
  local contact = text(c.contact_role)
  if not blank(c.contact_name) then
    contact = (contact ~= "" and (contact .. " ") or "") .. c.contact_name
  end
  local s = profile.sme {
    industry = c.industry, kind = c.kind,
    employees = math.tointeger(c.employees), capital = math.tointeger(c.capital),
  }
  local sme = "判定できない"
  if s.sme == true then
    sme = "該当する"
  elseif s.sme == false then
    sme = "該当しない"
  end
  return {
    name = text(c.name),
    industry = or_unknown(c.industry),
    kind = blank(c.kind) and "会社" or c.kind,
    employees = math.tointeger(c.employees) or "",
    employees_text = math.tointeger(c.employees) and (comma(math.tointeger(c.employees)) .. "名") or unknown,
    capital = math.tointeger(c.capital) or "",
    capital_text = math.tointeger(c.capital) and yen(c.capital) or unknown,
    prefecture = or_unknown(c.prefecture),
    contact_name = text(c.contact_name),
    contact_role = text(c.contact_role),
    contact = blank(contact) and unknown or contact,
    addressee = blank(c.contact_name) and "ご担当者様" or (contact .. " 様"),
    staffing = or_unknown(c.staffing),
    security_action = or_unknown(c.security_action),
    notes = text(c.notes),
    sme = sme,
    sme_reason = s.reason or "",
    sme_rule = s.rule or "",
  }
end

-- expert: name, the lists as text joined with "、", and the contact the
-- company uses: affiliation, phone, email and `contact` ("電話 06-… ／
-- メール …", "" when neither is recorded; the templates leave the row out).
local function expert_view(e)
  e = e or {}
  local parts = {}
  if not blank(e.phone) then parts[#parts + 1] = "電話 " .. e.phone end
  if not blank(e.email) then parts[#parts + 1] = "メール " .. e.email end
  return {
    name = text(e.name),
    qualifications = join(e.qualifications),
    regions = join(e.regions),
    affiliation = text(e.affiliation),
    phone = text(e.phone),
    email = text(e.email),
    contact = table.concat(parts, "　"),
  }
end

local function theme_view(t)
  t = t or {}
  return {
    id = text(t.id),
    number = math.tointeger(t.number) or "",
    title = text(t.title),
    base = text(t.base),
    effect = text(t.effect),
  }
end

-- "a; b；c" or one a line → { "a", "b", "c" } (blank parts dropped).
local function split_list(s)
  local out = {}
  for part in (text(s):gsub("；", ";"):gsub("\r?\n", ";") .. ";"):gmatch("(.-);") do
    part = part:gsub("^%s+", ""):gsub("%s+$", ""):gsub("^・", "")
    if part ~= "" then
      out[#out + 1] = part
    end
  end
  return out
end

-- The lines of a text, each trimmed, blank ones dropped.
local function lines_of(s)
  local out = {}
  for line in (text(s) .. "\n"):gmatch("(.-)\r?\n") do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" then
      out[#out + 1] = line
    end
  end
  return out
end

-- How and where a visit is held: { online, mode = "訪問（貴社事業所）" |
-- "オンライン", place } from what was recorded (time and place with `visit
-- plan`), else M.place / M.online_place.
local function where_of(v)
  local online = v.online == true or math.tointeger(v.online) == 1
  local place = blank(v.place) and (online and M.online_place or M.place) or v.place
  if online and not blank(v.place) and not place:find("オンライン", 1, true) then
    place = "オンライン（" .. place .. "）"
  end
  return {
    online = online,
    mode = online and "オンライン" or ("訪問（" .. (blank(v.place) and M.place or v.place) .. "）"),
    place = place,
  }
end

-- visit: n, date (held, else planned; "" when none), date_both ("未定" when
-- none), weekday ("金曜日" or ""), planned/held dates in both forms, and the
-- records of the visit (attendees, notes, state, time_from/time_to, place,
-- online, mode, findings, issues, agreed as given).
local function visit_view(v, n)
  v = v or {}
  local date = visit_date(v)
  local where = where_of(v)
  return {
    n = math.tointeger(v.n) or n,
    date = date or "",
    date_both = date and M.both(date) or "未定（日程調整中）",
    weekday = date and (M.weekday(date) .. "曜日") or "",
    planned_date = text(v.planned_date),
    planned_both = M.both(v.planned_date),
    held_date = text(v.held_date),
    held_both = M.both(v.held_date),
    held = is_held(v),
    state = text(v.state),
    state_label = visit_state_labels[v.state] or text(v.state),
    attendees = text(v.attendees),
    notes = text(v.notes),
    time_from = text(v.time_from),
    time_to = text(v.time_to),
    place = where.place,
    online = where.online,
    mode = where.mode,
  }
end

-- `date` is the day the document carries (ctx.date: the day its pack was
-- prepared, its report submitted, the engagement ended); `today_both`, the
-- name the templates print it under, is that day too.
local function base(ctx)
  local date = ctx.date or ctx.today
  return {
    company = company_view(ctx.company),
    expert = expert_view(ctx.expert),
    theme = theme_view(ctx.theme),
    today = text(ctx.today),
    today_both = M.both(date),
    visit_count = #(ctx.steps or {}),
  }
end

local function goal_of(ctx, n)
  local goals = ctx.theme and ctx.theme.goals or {}
  return { n = n, text = text(goals[n]) }
end

-- --- The agenda -----------------------------------------------------------

-- A short heading for an on-site item: by "theme:item id", then by the last
-- part of the item id; themes may add their own to M.agenda_labels.
M.agenda_labels = {
  kickoff = "指導の目標と進め方の確認",
  selfdiag = "自社診断の結果の確認",
  requests = "次回までの依頼事項と日程調整",
  review = "成果物の確認と合意",
  -- policy
  checksheet = "規程チェックシートの結果確認",
  info = "追加情報の確認",
  policy = "基本方針の作成",
  priorities = "重点改善領域の絞り込み",
  measures = "今後必要な対策の説明",
  ["policy:s3.onsite.plan"] = "対策実行計画の検討",
  -- assets
  method = "情報資産の考え方と台帳の書き方",
  trial = "台帳の試し書き",
  import = "提出された台帳の確認",
  gaps = "洗い出しの漏れの確認",
  rating = "評価値と重要度の見直し",
  ["assets:s3.onsite.results"] = "リスク分析結果の確認",
  treatment = "リスク対応の検討",
  operation = "台帳の運用ルールの決定",
  -- cloud
  basics = "クラウド利用の基本とリスク",
  ledger = "クラウドサービス台帳の記入",
  priority = "チェックの優先順位の決定",
  check = "安全利用チェックの実施",
  ["cloud:s3.onsite.results"] = "チェック結果と改善策の確認",
  banking = "インターネットバンキングの見直し",
  handbook = "自社版手引きのルール決定",
  -- incident
  history = "過去のトラブルの振り返り",
  structure = "対応体制の検討",
  contacts = "体制・連絡先シートの確認",
  levels = "影響レベルの判断基準",
  procedure = "対応手順書の作成",
  briefing = "机上演習の説明",
  ["incident:s3.onsite.exercise"] = "机上演習の実施",
  debrief = "演習の振り返り",
  -- training
  needs = "教育ニーズの確認",
  ["training:s1.onsite.plan"] = "研修計画の作成",
  opening = "研修の開始",
  video = "映像教材の視聴と解説",
  lecture = "講義",
  ["training:s2.onsite.exercise"] = "不審メールの見分け方演習",
  test = "理解度テストとアンケート",
  ["training:s3.onsite.results"] = "研修結果の振り返り",
  ["training:s3.onsite.plan"] = "年間教育計画の策定",
  records = "受講記録の管理方法",
}

local function agenda_label(theme_id, it, i)
  local id = text(it.id)
  return M.agenda_labels[theme_id .. ":" .. id]
    or M.agenda_labels[id:match("([^.]+)$") or id]
    or ("議題" .. i)
end

-- The on-site items of a step as timed rows from `from` (the visit's
-- start, "10:00"), else M.start_time.
local function agenda(ctx, step, from)
  local theme_id = text(ctx.theme and ctx.theme.id)
  local start = parse_hhmm(blank(from) and M.start_time or from)
  local t, rows = start, {}
  for i, it in ipairs(step and step.onsite or {}) do
    local m = math.tointeger(it.minutes) or 0
    rows[#rows + 1] = {
      no = i,
      time = hhmm(t) .. "–" .. hhmm(t + m),
      label = agenda_label(theme_id, it, i),
      company = text(it.company),
      expert = text(it.expert),
      minutes = m,
      provided = join(it.provided),
      deliverables = join(it.deliverables),
    }
    t = t + m
  end
  return rows, t - start, hhmm(start), hhmm(t)
end

-- "10:00–12:00": the visit's time as recorded, else the agenda's span
-- from M.start_time.
local function visit_time(ctx, step, v)
  if not blank(v.time_from) and not blank(v.time_to) then
    return hhmm(parse_hhmm(v.time_from)) .. "–" .. hhmm(parse_hhmm(v.time_to))
  end
  local _, _, from, to = agenda(ctx, step, v.time_from)
  return from .. "–" .. to
end

-- The due date of the requests before visit v: { date = "2026-04-03" or "",
-- both = "令和8年4月3日（2026年4月3日）" or "第1回訪問日の7日前", text =
-- "令和8年4月3日" or "第1回訪問日の7日前", western = "2026年4月3日" or "" }.
local function due_before(v, n)
  local date = visit_date(v)
  if date then
    local d = M.add_days(date, -M.request_lead_days)
    return { date = d, both = M.both(d), text = dates.era(d), western = dates.western(d) }
  end
  local s = string.format("第%d回訪問日の%d日前", n, M.request_lead_days)
  return { date = "", both = s, text = s, western = "" }
end

-- The company's prep items of a step, each due `due` (from due_before).
local function requests_of(step, due)
  local rows = {}
  for _, it in ipairs(step and step.prep or {}) do
    if not blank(it.company) then
      rows[#rows + 1] = {
        no = #rows + 1,
        text = it.company,
        provided = join(it.provided),
        deliverables = join(it.deliverables),
        due = due.both,
        -- printed as due_text（due_date）: the era, then the Western date
        due_text = due.text,
        due_date = due.western,
      }
    end
  end
  return rows
end

-- --- 訪問計画書 -----------------------------------------------------------
-- { company, expert, theme, today, today_both,
--   title = "第1回 訪問計画書",
--   visit = { n, date, date_both, weekday, time = "10:00–12:00", place, minutes, … },
--   step = { title, aim }, goal = { n, text },
--   agenda = { { no, time, label, company, expert, minutes, provided, deliverables } },
--   agenda_minutes, attendees = { who, note, previous },
--   prep = { { no, text, provided, deliverables, due, due_text, due_date } },
--   bring = { "…" }, handouts = { "…" }, deliverables = { "…" },
--   plan = { { n, date_both, goal, current, mark = "今回"|"" } } }
local function visit_plan_context(ctx)
  local out = base(ctx)
  local step = ctx.step or {}
  local visit = this_visit(ctx)
  local n = math.tointeger(visit.n) or 1
  local rows, total = agenda(ctx, step, visit.time_from)
  out.title = string.format("第%d回 訪問計画書", n)
  out.visit = visit_view(visit, n)
  out.visit.time = visit_time(ctx, step, visit)
  out.visit.minutes = total
  out.step = { title = text(step.title), aim = text(step.aim) }
  out.goal = goal_of(ctx, n)
  out.agenda = rows
  out.agenda_minutes = total

  local who, note = attendees_hint(ctx)
  local prev = visit_of(ctx, n - 1)
  out.attendees = {
    who = who,
    note = note or "",
    previous = (prev and not blank(prev.attendees)) and prev.attendees or "",
  }

  -- Bring: what was handed over for the preparation, filled in, and what
  -- the preparation produces. Handouts: what the expert brings on the day.
  local bring, seen = {}, {}
  for _, it in ipairs(step.prep or {}) do
    add_unique(bring, seen, it.provided)
    add_unique(bring, seen, it.deliverables)
  end
  local handouts, hseen = {}, {}
  local deliverables, dseen = {}, {}
  for _, it in ipairs(step.onsite or {}) do
    add_unique(handouts, hseen, it.provided)
    add_unique(deliverables, dseen, it.deliverables)
  end
  out.bring, out.handouts, out.deliverables = bring, handouts, deliverables
  out.prep = requests_of(step, due_before(visit, n))

  local plan = {}
  for i = 1, #(ctx.steps or {}) do
    local v = visit_of(ctx, i)
    local d = visit_date(v)
    plan[#plan + 1] = {
      n = i,
      date_both = d and M.both(d) or "未定",
      goal = goal_of(ctx, i).text,
      current = i == n,
      mark = i == n and "今回" or "",
    }
  end
  out.plan = plan
  return out
end

-- --- 事前依頼事項 ---------------------------------------------------------
-- { company, expert, theme, today, today_both,
--   title = "第1回訪問に向けた事前依頼事項",
--   visit = { n, date, date_both, weekday, … }, step = { title, aim },
--   due = "令和8年4月3日（2026-04-03）" (or "第1回訪問日の7日前"), due_date ("" when none),
--   requests = { { no, text, provided, deliverables, due, due_text, due_date } },
--   tools = { "…" } }
local function requests_context(ctx)
  local out = base(ctx)
  local step = ctx.step or {}
  local visit = this_visit(ctx)
  local n = math.tointeger(visit.n) or 1
  out.title = string.format("第%d回訪問に向けた事前依頼事項", n)
  out.visit = visit_view(visit, n)
  out.visit.time = visit_time(ctx, step, visit)
  out.step = { title = text(step.title), aim = text(step.aim) }
  local due = due_before(visit, n)
  out.due = due.both
  out.due_date = due.date
  out.requests = requests_of(step, due)
  local tools, seen = {}, {}
  for _, it in ipairs(step.prep or {}) do
    if not blank(it.company) then
      add_unique(tools, seen, it.provided)
    end
  end
  out.tools = tools
  return out
end

-- --- ヒアリングシート -----------------------------------------------------
-- { company (with sme, sme_reason, employees_text, capital_text, contact),
--   expert, theme, today, today_both, title = "ヒアリングシート",
--   visit = { n, date_both, weekday, … },
--   selfdiag = { imported, total, max, band, parts = { { part, score, max, rate } },
--                weakest = { { no, question, answer } } } }
local function hearing_context(ctx)
  local out = base(ctx)
  out.title = "ヒアリングシート"
  out.visit = visit_view(this_visit(ctx), 1)
  local rows = ctx.records and ctx.records["self-diagnosis"] or {}
  local s = selfdiag.score(rows)
  local parts = {}
  for _, p in ipairs(s.parts) do
    parts[#parts + 1] = {
      part = p.part, score = p.score, max = p.max,
      rate = string.format("%d%%", math.floor(p.rate * 100 + 0.5)),
    }
  end
  local weakest = {}
  for _, w in ipairs(s.weakest) do
    weakest[#weakest + 1] = { no = w.no, question = w.question, answer = w.answer }
  end
  out.selfdiag = {
    imported = s.answered > 0,
    total = s.total, max = s.max, band = s.band,
    answered = s.answered,
    parts = parts,
    weakest = weakest,
  }
  return out
end

-- --- Ticks of a visit -----------------------------------------------------

-- Every item of a step with its tick, and how many of them are ticked.
local function ticked(step, done)
  local items = {}
  local d_all, n_all = 0, 0
  for _, ph in ipairs(phases) do
    for i, it in ipairs(step and step[ph.key] or {}) do
      local ok = done[it.id] == true
      n_all = n_all + 1
      if ok then
        d_all = d_all + 1
      end
      items[#items + 1] = {
        phase = ph.label,
        no = i,
        id = text(it.id),
        company = blank(it.company) and "—" or it.company,
        expert = blank(it.expert) and "—" or it.expert,
        done = ok,
        mark = ok and "○" or "—",
        deliverables = join(it.deliverables),
      }
    end
  end
  return items, d_all, n_all
end

local issue_marks = { "^課題：%s*", "^課題:%s*", "^【課題】%s*", "^・課題：%s*", "^・課題:%s*" }

-- Splits visit notes into lines: lines starting with 課題： (or 【課題】)
-- are issues, the rest observations.
local function split_notes(notes)
  local obs, issues = {}, {}
  for line in (text(notes) .. "\n"):gmatch("(.-)\r?\n") do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" then
      local issue
      for _, p in ipairs(issue_marks) do
        if line:find(p) then
          issue = line:gsub(p, "")
          break
        end
      end
      if issue then
        issues[#issues + 1] = issue
      else
        obs[#obs + 1] = line
      end
    end
  end
  return obs, issues
end


-- --- Documents on record ---------------------------------------------

-- The visit paperwork every theme shares, which is not what the company
-- keeps as a result of the guidance.
M.paperwork = {
  ["visit-plan"] = true, requests = true, hearing = true, ["self-diagnosis"] = true,
  ["visit-report"] = true, ["final-report"] = true, schedule = true,
  ["survey-company"] = true, ["survey-company-early"] = true, ["survey-expert"] = true,
}

-- The deliverables of the engagement: the documents on record whose files
-- are there (ctx.documents), but the visit paperwork, each title once, in
-- the order written: { { no, name, file, visit = "第2回" | "—" } }, and by
-- visit number the names, for the goals' evidence.
local function delivered(ctx)
  local list, by_visit, seen = {}, {}, {}
  for _, d in ipairs(ctx.documents or {}) do
    local title = text(d.title)
    if d.exists and not M.paperwork[text(d.doc)] and not seen[title] then
      seen[title] = true
      local n = math.tointeger(d.visit)
      list[#list + 1] = {
        no = #list + 1, name = title, file = text(d.file),
        visit = n and string.format("第%d回", n) or "—",
      }
      if n then
        by_visit[n] = by_visit[n] or {}
        table.insert(by_visit[n], title)
      end
    end
  end
  return list, by_visit
end

-- --- 実施報告書 -----------------------------------------------------------
-- { company, expert, theme, today, today_both,
--   title = "第1回 マネジメント指導 実施報告書",
--   visit = { n, date_both (held date), weekday, held_both, attendees, notes,
--             mode = "訪問（貴社事業所）" | "オンライン", … },
--   step = { title, aim }, goal = { n, text },
--   items = { { phase = "事前準備"|"当日"|"事後", no, id, company, expert,
--               done, mark = "○"|"—", deliverables } },
--   done_count, item_count, onsite_done, onsite_count,
--   deliverables = { "…" } (the titles of the documents on record for the
--     visit, but the paperwork), observations = { "…" }, issues = { "…" },
--   carryover = { { phase, text } },
--   next = { final, n, date_both, label, aim,
--            prep = { { no, text, provided, deliverables, due, due_text, due_date } } } }
local function visit_report_context(ctx)
  local out = base(ctx)
  local step = ctx.step or {}
  local v = this_visit(ctx)
  local n = math.tointeger(v.n) or 1
  local done = done_set(v)
  out.title = string.format("第%d回 マネジメント指導 実施報告書", n)
  out.visit = visit_view(v, n)
  if blank(v.attendees) then
    out.visit.attendees = "（記録なし）"
  end
  out.step = { title = text(step.title), aim = text(step.aim) }
  out.goal = goal_of(ctx, n)

  local items, d_all, n_all = ticked(step, done)
  out.items = items
  out.done_count, out.item_count = d_all, n_all
  out.onsite_done, out.onsite_count = count(step, "onsite", done)
  -- 作成した成果物: what was written for this visit and is there, as in
  -- the final report, not what the syllabus expects the visit to yield.
  local _, made_in = delivered(ctx)
  out.deliverables = made_in[n] or {}
  -- 所見: what the expert recorded as findings, then the notes' other lines;
  -- 課題: the issues recorded, then the notes' lines marked 課題：.
  local obs, noted = split_notes(v.notes)
  local findings = lines_of(v.findings)
  for _, o in ipairs(obs) do findings[#findings + 1] = o end
  local issues = split_list(v.issues)
  for _, i in ipairs(noted) do issues[#issues + 1] = i end
  out.observations, out.issues = findings, issues
  out.agreed = lines_of(v.agreed)
  out.agreed_any = #out.agreed > 0

  local carry = {}
  for _, it in ipairs(items) do
    if not it.done and it.phase ~= "事後" then
      carry[#carry + 1] = { phase = it.phase, text = it.company ~= "—" and it.company or ("（専門家）" .. it.expert) }
    end
  end
  out.carryover = carry

  local nsteps = #(ctx.steps or {})
  if n >= nsteps then
    out.next = { final = true, n = "", date_both = "", label = "", aim = "", prep = {} }
    out.agreed_lead = "今後の取り組みとして、次の事項を合意しました。"
  else
    out.agreed_lead = "次回までに取り組むこととして、次の事項を合意しました。"
    local nv = visit_of(ctx, n + 1)
    local d = visit_date(nv)
    local nstep = ctx.steps[n + 1]
    out.next = {
      final = false,
      n = n + 1,
      date_both = d and M.both(d) or "未定（日程調整中）",
      label = string.format("第%d回訪問　%s", n + 1, d and M.both(d) or "未定（日程調整中）"),
      aim = text(nstep.aim),
      prep = requests_of(nstep, due_before(nv, n + 1)),
    }
  end
  return out
end

-- --- 最終報告書 -----------------------------------------------------------

local function recommendations(ctx, comp)
  local out = {}
  local rows = ctx.records and ctx.records["self-diagnosis"] or {}
  local s = selfdiag.score(rows)
  if s.answered > 0 then
    for i, w in ipairs(s.weakest) do
      if i > M.max_recommendations then
        break
      end
      out[#out + 1] = {
        title = w.question,
        basis = string.format("自社診断 No.%d（回答：%s）", w.no, w.answer),
        text = w.advice,
      }
    end
  else
    out[#out + 1] = {
      title = "自社診断による現状の把握",
      basis = "自社診断の回答が取り込まれていないため",
      text = "「" .. selfdiag.sheet.title .. "」に改めて回答し、点数の低い項目から改善の計画を立てましょう。"
        .. "年に一度回答して点数の変化を確かめると、取り組みの成果が見えます。",
    }
    out[#out + 1] = {
      title = "基本的な対策の徹底",
      basis = "一般的な提言",
      text = "OSやソフトの更新、ウイルス対策ソフトの導入、パスワードの強化と多要素認証、共有設定の見直し、"
        .. "バックアップの取得と復元の確認を、全員・全機器で漏れなく実施しましょう。",
    }
  end
  if comp.security_action == "なし" or comp.security_action == "（未登録）" then
    out[#out + 1] = {
      title = "SECURITY ACTIONの宣言",
      basis = "自社の取り組みの表明",
      text = "IPAの「SECURITY ACTION」で一つ星を宣言し、今回の取り組みを社内外に示しましょう。"
        .. "自社診断と基本方針の策定を終えたら二つ星を目指します。",
    }
  elseif comp.security_action == "一つ星" then
    out[#out + 1] = {
      title = "SECURITY ACTION 二つ星への移行",
      basis = "現在は一つ星を宣言済み",
      text = "自社診断で現状を把握し、情報セキュリティ基本方針を定めて公開することで、二つ星を宣言しましょう。",
    }
  end
  out[#out + 1] = {
    title = "成果物の定期的な見直し",
    basis = "継続的な改善のため",
    text = "今回作成した成果物は、年に一度と、組織・業務・利用するITが変わったときに見直す担当者と時期を決め、"
      .. "見直しの結果を経営者に報告する流れを定着させましょう。",
  }
  return out
end

-- { company, expert, theme (with effect), today, today_both,
--   title = "マネジメント指導 最終報告書",
--   engagement = { state, state_label, terminated, reason, period },
--   early = false | { reason, reached },
--   summary = "…", held_count, visit_count, achieved_count, goal_count,
--   visits = { { n, date_both, state_label, attendees, done, total, items = "3 / 4" } },
--   goals = { { n, text, status = "達成"|"一部達成"|"未達成", evidence } },
--   deliverables = { { no, name, file, visit = "第2回" } } (documents on record),
--   findings = { "…" } (the expert's, a paragraph a line),
--   remaining = { { visit = "第2回", phase, text } },
--   recommendations = { { title, basis, text } },
--   evaluation = { expert = { answer, note }, company = { answer, note } } (survey.lua) }
local function final_report_context(ctx)
  local out = base(ctx)
  local e = ctx.engagement or {}
  local comp = out.company
  out.title = "マネジメント指導 最終報告書"

  local nsteps = #(ctx.steps or {})
  local visits, goals, remaining = {}, {}, {}
  local deliverables, made_in = delivered(ctx)
  local held_count, achieved = 0, 0
  local first, last
  for n = 1, nsteps do
    local step = ctx.steps[n]
    local v = visit_of(ctx, n)
    local held = is_held(v)
    local done = done_set(v)
    local od, on = count(step, "onsite", done)
    local pd, pn = count(step, "prep", done)
    local date = held and visit_date(v) or nil
    if held then
      held_count = held_count + 1
      first = first or date
      last = date or last
    end
    visits[#visits + 1] = {
      n = n,
      date_both = date and M.both(date) or "未実施",
      state_label = held and "実施" or "未実施",
      attendees = held and (blank(v.attendees) and "（記録なし）" or v.attendees) or "—",
      done = od + pd,
      total = on + pn,
      items = held and string.format("%d / %d", od + pd, on + pn) or "—",
    }

    -- Goal n: achieved when visit n was held with every on-site item ticked.
    local status, evidence
    if held and on > 0 and od == on then
      status = "達成"
    elseif held and od > 0 then
      status = "一部達成"
    else
      status = "未達成"
    end
    if status == "達成" then
      achieved = achieved + 1
    end
    if held then
      evidence = string.format("第%d回訪問を%sに実施。当日の項目 %d/%d、事前準備 %d/%d を実施。",
        n, date and M.wareki(date) or "（日付不明）", od, on, pd, pn)
      local made = made_in[n] or {}
      if #made > 0 then
        evidence = evidence .. "成果物：" .. join(made) .. "。"
      end
    else
      evidence = string.format("第%d回訪問は実施していない。", n)
    end
    goals[#goals + 1] = { n = n, text = goal_of(ctx, n).text, status = status, evidence = evidence }

    if held then
      for _, ph in ipairs(phases) do
        if ph.key ~= "after" then
          for _, it in ipairs(step[ph.key] or {}) do
            if not done[it.id] then
              remaining[#remaining + 1] = { visit = string.format("第%d回", n), phase = ph.label, text = item_text(it) }
            end
          end
        end
      end
    else
      remaining[#remaining + 1] = {
        visit = string.format("第%d回", n), phase = "未実施",
        text = string.format("第%d回訪問を実施していないため、達成目標%d「%s」に向けた指導（%s）が残っている",
          n, n, goal_of(ctx, n).text, text(step.aim)),
      }
    end
  end

  local terminated = e.state == "terminated"
  out.engagement = {
    state = text(e.state),
    state_label = state_labels[e.state] or text(e.state),
    terminated = terminated,
    reason = text(e.reason),
    period = first and (M.wareki(first) .. "〜" .. M.wareki(last)) or "（訪問の実施なし）",
  }
  out.held_count, out.visit_count = held_count, nsteps
  out.achieved_count, out.goal_count = achieved, nsteps
  out.visits, out.goals = visits, goals
  out.deliverables, out.remaining = deliverables, remaining
  out.recommendations = recommendations(ctx, comp)
  out.findings = lines_of(e.findings)
  out.evaluation = survey.evaluation(ctx)

  local reached = {}
  for _, g in ipairs(goals) do
    if g.status ~= "未達成" then
      reached[#reached + 1] = string.format("達成目標%d（%s）", g.n, g.status)
    end
  end
  if terminated then
    out.early = {
      reason = blank(e.reason) and "（理由の記録なし）" or e.reason,
      reached = string.format("全%d回のうち%d回の訪問を実施した時点で終了した。", nsteps, held_count)
        .. (#reached > 0 and ("到達した目標：" .. table.concat(reached, "、") .. "。")
                         or "達成目標に到達する前に終了した。"),
    }
  else
    out.early = false
  end
  out.summary = string.format("全%d回の訪問のうち%d回を実施し、達成目標%d件のうち%d件を達成した。",
    nsteps, held_count, nsteps, achieved)
  if terminated then
    out.summary = out.summary .. "指導は予定の訪問を終える前に中途終了した。"
  end
  return out
end

-- --- スケジュール ---------------------------------------------------------
-- { title, rows = { { label, kind = "prep"|"visit"|"due", start, ["end"] } },
--   today_text = "令和8年12月2日（2026年12月2日）" (the day the chart's line marks) }
local function schedule_context(ctx)
  local rows = {}
  local _, made_in = delivered(ctx)
  for n, step in ipairs(ctx.steps or {}) do
    local v = visit_of(ctx, n)
    local date = visit_date(v)
    if date then
      rows[#rows + 1] = {
        label = string.format("第%d回 事前準備", n), kind = "prep",
        start = M.add_days(date, -M.prep_days), ["end"] = M.add_days(date, -1),
      }
      rows[#rows + 1] = { label = string.format("第%d回訪問", n), kind = "visit", start = date, ["end"] = date }
      -- A visit held: what was written for it, as its report lists; one to
      -- come: what the syllabus expects of it.
      local list, seen = {}, {}
      if is_held(v) then
        list = made_in[n] or {}
      else
        for _, it in ipairs(step.onsite or {}) do
          add_unique(list, seen, it.deliverables)
        end
      end
      for _, d in ipairs(list) do
        rows[#rows + 1] = { label = "成果物: " .. d, kind = "due", start = date, ["end"] = date }
      end
    end
  end
  local c = ctx.company and ctx.company.name or ""
  local t = ctx.theme and ctx.theme.title or ""
  return {
    title = string.format("%s 情報セキュリティマネジメント指導 スケジュール（%s）", c, t),
    rows = rows,
    today_text = M.both(ctx.today),
  }
end

-- --- The declarations -----------------------------------------------------

M.visit_plan = document {
  id = "visit-plan",
  title = "訪問計画書",
  file = "第{n}回_訪問計画書.docx",
  template = "common/訪問計画書.docx",
  role = "pack",
  requires = "planned",
  context = visit_plan_context,
}

M.requests = document {
  id = "requests",
  title = "事前依頼事項",
  file = "第{n}回_事前依頼事項.docx",
  template = "common/事前依頼事項.docx",
  role = "pack",
  context = requests_context,
}

M.hearing = document {
  id = "hearing",
  title = "ヒアリングシート",
  file = "ヒアリングシート.docx",
  template = "common/ヒアリングシート.docx",
  role = "pack",
  visits = { 1 },
  context = hearing_context,
}

M.self_diagnosis = document {
  id = "self-diagnosis",
  title = "5分でできる！情報セキュリティ自社診断",
  file = "5分でできる情報セキュリティ自社診断.xlsx",
  worksheet = "self-diagnosis",
  role = "pack",
  visits = { 1 },
}

M.visit_report = document {
  id = "visit-report",
  title = "実施報告書",
  file = "第{n}回_実施報告書.docx",
  template = "common/実施報告書.docx",
  role = "report",
  requires = "held",
  recorded = { "findings" },
  context = visit_report_context,
}

M.final_report = document {
  id = "final-report",
  title = "最終報告書",
  file = "最終報告書.docx",
  template = "common/最終報告書.docx",
  role = "final",
  requires = "ended",
  recorded = { "findings" },
  context = final_report_context,
}

M.schedule = document {
  id = "schedule",
  title = "スケジュール",
  file = "スケジュール.xlsx",
  role = "schedule",
  context = schedule_context,
}

-- The context functions, for tests and for themes that wrap them.
M.contexts = {
  visit_plan = visit_plan_context,
  requests = requests_context,
  hearing = hearing_context,
  visit_report = visit_report_context,
  final_report = final_report_context,
  schedule = schedule_context,
}

return M
