-- Theme 4 (セキュリティインシデント対応): its worksheets and documents.
--   M.team      対応体制: one row per role of the response team, with names,
--               numbers and deputies; a name is required for the roles that
--               must be filled (最高責任者, 対応責任者, …); the first sheet of
--               体制・連絡先シート, whose other sheets are
--   M.contacts  連絡先: inside, suppliers, customers and the public desks;
--   M.systems   システムとログ: the company's systems and where their logs
--               are (suggestions, and the services of theme 3's ledger when
--               the company went through it);
--   M.exercise  机上演習記録: per inject of the exercise, what the team
--               decided, how long it took and the gaps found;
-- and the contexts of the procedure, the incident report (an example and a
-- blank), the exercise scenario and its review.
-- Incident types are chosen for the company (M.chosen_types) from what it
-- runs (the systems sheet, theme 3's cloud ledger, theme 2's asset ledger)
-- and its industry; the type of the exercise's scenario is always among them.
local documents = require "documents"
local incidentdata = require "incidentdata"
local incidentscenarios = require "incidentscenarios"

local M = {}

M.required_mark = "◎"
M.sample_mark = "サンプル"
M.own_mark = "自社"
M.default_scenario = "outage-general"

-- The procedure's fixed sections, by the ids scenarios use, and how the
-- exercise record names them.
M.sections = {
  { id = "team", no = "2", title = "対応体制" },
  { id = "levels", no = "3", title = "影響レベルと報告の基準" },
  { id = "detect", no = "4.1", title = "検知と初動対応" },
  { id = "report", no = "4.2", title = "報告と公表" },
  { id = "recover", no = "4.3", title = "復旧と再発防止" },
  { id = "type", title = "種類ごとの対応" },
  { id = "evidence", no = "6", title = "証拠の保全" },
  { id = "legal", no = "7", title = "届出と報告の期限" },
  { id = "contacts", no = "8", title = "連絡先一覧" },
}

-- Actions on the gaps of the exercise are due this many days after it.
M.gap_days = 30
-- The procedure and the exercise are reviewed this many days after visit 3.
M.review_days = 365

local function blank(v)
  return v == nil or v == ""
end

local function or_tbd(v)
  return blank(v) and "（未定）" or v
end

local function records(ctx, id)
  return ctx.records and ctx.records[id] or {}
end

local function company_records(ctx, id)
  return ctx.company_records and ctx.company_records[id] or {}
end

local type_by_id, section_by_id, section_titles = {}, {}, {}
for _, t in ipairs(incidentdata.types) do type_by_id[t.id] = t end
for _, s in ipairs(M.sections) do
  section_by_id[s.id] = s
  section_titles[#section_titles + 1] = s.title
end

-- --- 体制・連絡先シート -------------------------------------------------------------

-- Names the company already gave in theme 1's roles sheet, by role id.
local from_policy = {
  chief = { "代表者" },
  lead = { "インシデント対応責任者", "情報セキュリティ責任者" },
  tech = { "システム管理者" },
}

local function team_rows(ctx)
  local given = {}
  for _, r in ipairs(company_records(ctx, "regulation-roles")) do
    if not blank(r.person) then given[r.role] = r end
  end
  local rows = {}
  for _, role in ipairs(incidentdata.roles) do
    local known
    for _, name in ipairs(from_policy[role.id] or {}) do
      known = known or given[name]
    end
    rows[#rows + 1] = {
      role = role.name, duty = role.duty, need = role.required and M.required_mark or "",
      name = known and known.person, title = known and known.title or nil,
    }
  end
  return rows
end

local input = documents.input_column

M.team = worksheet {
  id = "incident-team",
  file = "体制・連絡先シート.xlsx",
  sheet = "対応体制",
  title = "インシデント対応体制",
  guidance = {
    "インシデント（情報の漏えい、ウイルス感染、システムの停止など）が起きたときに動く人を、役割ごとに決めるシートです。兼任で構いません。",
    "◎の役割は必ず担当者を決めてください（空欄のままでは取り込めません）。不在のときに代わる人（代理）と、夜間・休日にもつながる電話番号も書いてください。",
    "同じファイルの「連絡先」「システムとログ」のシートにも記入してください。",
  },
  fields = documents.filler_fields(),
  columns = {
    { key = "role", header = "役割", type = "text", required = true, width = 16 },
    { key = "duty", header = "主な任務", type = "text", width = 40, wrap = true },
    { key = "need", header = "必須", type = "text", width = 6 },
    input("name", "氏名", "text", 14, { required_when = { column = "need", equals = M.required_mark } }),
    input("title", "役職・部署", "text", 16, { wrap = true }),
    input("phone", "電話（夜間・休日も）", "text", 16),
    input("email", "メール", "text", 22),
    input("deputy", "代理", "text", 14),
    input("deputy_phone", "代理の電話", "text", 16),
  },
  key = "role",
  rows = team_rows,
  fixed_rows = true,
  freeze = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  conditional = { { column = "need", equals = M.required_mark, fill = "#FCE4D6" } },
  book = { "incident-contacts", "incident-systems" },
}

local function contact_rows()
  local rows = {}
  for _, c in ipairs(incidentdata.contacts) do
    rows[#rows + 1] = {
      group = c.group, name = c.name, phone = c.phone, email = c.url, when = c.when, note = c.note,
    }
  end
  return rows
end

M.contacts = worksheet {
  id = "incident-contacts",
  sheet = "連絡先",
  title = "インシデント発生時の連絡先",
  guidance = {
    "インシデントのときに連絡する相手の一覧です。公的な相談・届出先は記入してあります。保守業者、保険会社、取引銀行、主な取引先・顧客の窓口を、担当者名と電話番号まで書いてください。",
    "当てはまらない行は削除し、足りない相手は下の空いた行に加えてください。",
  },
  fields = { { label = "会社名", value = "company.name" } },
  columns = {
    input("group", "区分", "enum", 14, { choices = incidentdata.contact_groups, required = true }),
    input("name", "名称", "text", 30, { required = true, wrap = true }),
    input("person", "担当者・部署", "text", 16, { wrap = true }),
    input("phone", "電話", "text", 14),
    input("email", "メール・Web", "text", 24, { wrap = true }),
    input("when", "連絡する場面", "text", 30, { wrap = true }),
    -- The public desks' notes are long: wide enough that their rows stay low.
    input("note", "備考", "text", 44, { wrap = true }),
  },
  rows = contact_rows,
  min_rows = 10,
  freeze = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
}

-- theme 3's kinds of service and theme 2's media, as kinds of system.
local cloud_kind = { ["インターネットバンキング"] = "インターネットバンキング", ["EC・予約サイト"] = "ECサイト・予約サイト",
                     ["Webサイト・ブログ"] = "Webサイト" }
local medium_kind = { ["社内サーバ・NAS"] = "社内サーバ・NAS", ["ウェブサイト"] = "Webサイト",
                      ["モバイル機器（ノートPC・スマホ）"] = "スマートフォン・タブレット",
                      ["業務システム（専用機・パッケージ）"] = "その他" }

-- The company's systems from its other engagements: the services of the
-- cloud ledger (theme 3).
local function known_systems(ctx)
  local rows = {}
  for _, s in ipairs(company_records(ctx, "cloud-ledger")) do
    rows[#rows + 1] = {
      mark = M.own_mark, name = s.name, kind = cloud_kind[s.kind] or "クラウドサービス",
      place = s.provider, admin = s.admin, logs = "サービスの管理画面（ログイン・操作の履歴）",
      note = "クラウドサービス台帳 " .. (s.no or ""),
    }
  end
  return rows
end

local function system_rows(ctx)
  local rows = known_systems(ctx)
  for _, s in ipairs(incidentdata.systems) do
    rows[#rows + 1] = { mark = M.sample_mark, name = s.name, kind = s.kind, logs = s.logs,
                        retention = s.retention, place = s.place, admin = s.admin }
  end
  return rows
end

M.systems = worksheet {
  id = "incident-systems",
  sheet = "システムとログ",
  title = "システムとログの所在",
  guidance = {
    "インシデントの原因や影響を調べるときに必要な、システムとその記録（ログ）の在りかを一覧にします。灰色の行は記入例です。貴社にあるものは内容を直して「区分」を「自社」に、ないものは行ごと削除してください。",
    "ここに挙げたシステムの種類から、手順書で取り上げるインシデントの種類（Webサイトの改ざん、クラウドの停止、不正送金など）が決まります。",
  },
  fields = { { label = "会社名", value = "company.name" } },
  columns = {
    input("mark", "区分", "enum", 8, { choices = { M.own_mark, M.sample_mark } }),
    input("name", "システム・機器", "text", 26, { required = true, wrap = true }),
    input("kind", "種類", "enum", 22, { choices = incidentdata.system_kinds, required = true }),
    input("place", "設置場所・提供元", "text", 18, { wrap = true }),
    input("admin", "管理者・保守業者", "text", 16, { wrap = true }),
    input("logs", "ログの所在", "text", 34, { wrap = true }),
    input("retention", "保存期間", "text", 32, { wrap = true }),
    input("note", "備考", "text", 24, { wrap = true }),
  },
  skip = { column = "mark", equals = M.sample_mark },
  rows = system_rows,
  min_rows = 10,
  freeze = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  conditional = { { column = "mark", equals = M.sample_mark, fill = "#E7E6E6" } },
}

-- --- The incident types ------------------------------------------------------------

-- The exercise's scenario: the engagement's variant, else the default.
function M.scenario(ctx)
  for _, v in ipairs(ctx.variants or {}) do
    for _, s in ipairs(incidentscenarios.scenarios) do
      if s.id == v then return s end
    end
  end
  for _, s in ipairs(incidentscenarios.scenarios) do
    if s.id == M.default_scenario then return s end
  end
  return incidentscenarios.scenarios[1]
end

-- The kinds of system the company runs, each with where it was seen.
local function system_kinds(ctx)
  local kinds = {}
  local function add(kind, where)
    if kind and not kinds[kind] then kinds[kind] = where end
  end
  for _, s in ipairs(records(ctx, "incident-systems")) do
    add(s.kind, string.format("システムとログの一覧に「%s」（%s）がある", s.name or "", s.kind))
  end
  for _, s in ipairs(company_records(ctx, "cloud-ledger")) do
    add(cloud_kind[s.kind] or "クラウドサービス",
      string.format("クラウドサービス台帳に「%s」（%s）がある", s.name or "", s.kind or ""))
  end
  for _, a in ipairs(company_records(ctx, "asset-ledger")) do
    add(medium_kind[a.medium], string.format("情報資産管理台帳の「%s」が%sにある", a.name or "", a.medium or ""))
  end
  return kinds
end

-- The incident types of the company's procedure, in the data's order, each
-- { type, reason }.
function M.chosen_types(ctx)
  local kinds = system_kinds(ctx)
  local industry = (ctx.company or {}).industry
  local scenario = M.scenario(ctx)
  local out = {}
  for _, t in ipairs(incidentdata.types) do
    local sel, reason = t.select or {}, nil
    if sel.always then
      reason = "どの会社でも起こりうるため"
    end
    for _, k in ipairs(sel.systems or {}) do
      reason = reason or kinds[k]
    end
    for _, i in ipairs(sel.industries or {}) do
      if i == industry then reason = reason or ("業種が" .. i) end
    end
    if not reason and t.id == scenario.type then
      reason = "机上演習で扱うため"
    end
    if reason then out[#out + 1] = { type = t, reason = reason } end
  end
  return out
end

-- Section id → "4.1 検知と初動対応"; "type" → the section of the scenario's type.
local function section_label(id, type_no, type_title)
  if id == "type" then
    return type_no and (type_no .. " " .. type_title) or "5 インシデントの種類ごとの対応"
  end
  local s = section_by_id[id]
  return s and (s.no .. " " .. s.title) or id
end

local function type_section(ctx, scenario)
  for i, c in ipairs(M.chosen_types(ctx)) do
    if c.type.id == scenario.type then
      return "5." .. i, c.type.title
    end
  end
end

-- --- 机上演習記録 --------------------------------------------------------------------

local function first_sentence(text)
  return (text or ""):match("^(.-。)") or text
end

local function exercise_rows(ctx)
  local given = {}
  for _, r in ipairs(records(ctx, "incident-exercise")) do given[r.no] = r end
  local rows = {}
  for i, inj in ipairs(M.scenario(ctx).injects) do
    local was = given[i] or {}
    rows[#rows + 1] = {
      no = i, time = inj.time, situation = first_sentence(inj.text), decision = was.decision,
      minutes = was.minutes, gap = was.gap, section = was.section, owner = was.owner, due = was.due,
    }
  end
  return rows
end

M.exercise = worksheet {
  id = "incident-exercise",
  file = "机上演習記録.xlsx",
  sheet = "机上演習記録",
  title = "机上演習記録",
  guidance = {
    "机上演習の状況付与（インジェクト）ごとに、チームが決めたこと、判断にかかった時間、手順書や体制で足りなかった点を記録します。",
    "足りなかった点を書いた行は、見直す手順書の箇所と担当者・期限も選んでください。振り返り報告書に課題として載ります。",
  },
  fields = documents.filler_fields("記録者", "実施日"),
  columns = {
    { key = "no", header = "No.", type = "integer", required = true, width = 5 },
    { key = "time", header = "時刻", type = "text", width = 11 },
    { key = "situation", header = "状況", type = "text", width = 34, wrap = true },
    input("decision", "チームの判断・対応", "text", 36, { wrap = true }),
    input("minutes", "所要時間（分）", "integer", 14),
    input("gap", "足りなかった点", "text", 32, { wrap = true }),
    input("section", "見直す箇所", "enum", 18, { choices = section_titles }),
    input("owner", "担当者", "text", 12),
    input("due", "期限", "date", 11),
  },
  key = "no",
  rows = exercise_rows,
  refresh = true,
  fixed_rows = true,
  freeze = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
}

-- --- Documents --------------------------------------------------------------------

local function text_list(list)
  local out = {}
  for _, s in ipairs(list or {}) do out[#out + 1] = s end
  return out
end

local role_by_id = {}
for _, role in ipairs(incidentdata.roles) do role_by_id[role.id] = role end

-- The team, one entry per role; a role nobody was named for is taken on by
-- the role that covers it (`covered_by`): its person, marked as such, and
-- `folded` set to that role's name. A required role is always named (the
-- sheet's import refuses it blank); one that is not stays （未定）.
local function team_of(ctx)
  local by_role = {}
  for _, r in ipairs(records(ctx, "incident-team")) do by_role[r.role] = r end
  local function given(role)
    local r = by_role[role.name]
    return r and not blank(r.name) and r or nil
  end
  local out = {}
  for _, role in ipairs(incidentdata.roles) do
    local r, folded = given(role), nil
    local cover = role.covered_by and role_by_id[role.covered_by]
    if not r and cover and given(cover) then
      r, folded = given(cover), cover.name
    end
    r = r or {}
    local title = r.title or ""
    if folded then title = title .. "（" .. folded .. "が兼ねる）" end
    out[#out + 1] = {
      role = role.name, duty = role.duty, name = or_tbd(r.name), title = title, person = r.name, rtitle = r.title,
      phone = r.phone or "", email = r.email or "", deputy = r.deputy or "", deputy_phone = r.deputy_phone or "",
      folded = folded,
    }
  end
  return out
end

local function who(team, role_name)
  for _, t in ipairs(team) do
    if t.role == role_name and not blank(t.person) then
      return (blank(t.rtitle) and "" or (t.rtitle .. " ")) .. t.person
    end
  end
  return "（未定）"
end

-- "広報・顧客対応は最高責任者（代表取締役 部品 一郎）、…が兼ねます。", or nil.
local function fold_note(team)
  local parts = {}
  for _, t in ipairs(team) do
    if t.folded then
      parts[#parts + 1] = string.format("%sは%s（%s）", t.role, t.folded, who(team, t.role))
    end
  end
  return #parts > 0 and (table.concat(parts, "、") .. "が兼ねます。") or nil
end

-- Who stands in where the sheet names no deputy, or nil: the 対応責任者 for
-- the roles not its own person's, the 最高責任者 for the 対応責任者; the
-- company may name others on the sheet.
local function deputy_note(team)
  local lead, chief = incidentdata.roles[2].name, incidentdata.roles[1].name
  local lead_person
  for _, t in ipairs(team) do
    if t.role == lead then lead_person = t.person end
  end
  local missing, lead_missing = {}, false
  for _, t in ipairs(team) do
    if blank(t.deputy) and not blank(t.person) then
      if t.role == lead then
        lead_missing = true
      elseif t.person ~= lead_person then
        missing[#missing + 1] = t.role
      end
    end
  end
  local parts = {}
  if #missing > 0 then
    parts[#parts + 1] = string.format("代理を決めていない役割（%s）は%s（%s）が代わり",
      table.concat(missing, "、"), lead, who(team, lead))
  end
  if lead_missing then
    parts[#parts + 1] = string.format("%sの代理は%s（%s）が務め", lead, chief, who(team, chief))
  end
  if #parts == 0 then return nil end
  return table.concat(parts, "、") .. "ます。別の人を代理に決めたときは、体制・連絡先シートとこの表を直します。"
end

-- The contacts of the procedure: a blank row says what to write there, and
-- one the company's own row stands for is left out.
local function procedure_contacts(ctx)
  local prefilled = {}
  for _, c in ipairs(incidentdata.contacts) do prefilled[c.name] = c end
  local rows = records(ctx, "incident-contacts")
  local own_in = {}
  for _, r in ipairs(rows) do
    if not prefilled[r.name] then own_in[r.group or ""] = true end
  end
  local out = {}
  for _, r in ipairs(rows) do
    local p = prefilled[r.name]
    local empty = blank(r.person) and blank(r.phone) and blank(r.email)
    if not (p and p.own_replaces and empty and own_in[r.group or ""]) then
      local phone = r.phone or ""
      if p and not p.public and empty and p.fill then phone = "記入：" .. p.fill end
      out[#out + 1] = { group = r.group, name = r.name, person = r.person or "", phone = phone,
                        email = r.email or "", when = r.when or "" }
    end
  end
  return out
end

local function procedure_date(ctx)
  return documents.visit_date_or_today(ctx, 2)
end

-- Context (templates/incident/インシデント対応手順書.docx): company, date,
--   expert, version, purpose, scope, team[], has_fold, fold_note (which
--   roles nobody was named for are taken on by whom, and who stands in for
--   those without a deputy), levels[], escalation[], flow[]
--   { no, title, steps[] { no, title, text } }, types[] { no, title, why, level,
--   signs[], first[], evidence[], notify[], recover[] }, evidence[], legal[],
--   contacts[] { group, name, person, phone, email, when }, systems[],
--   has_systems, review { owner, triggers[] }
function M.procedure_context(ctx)
  local c = ctx.company or {}
  local team = team_of(ctx)
  local flow = {}
  for i, f in ipairs(incidentdata.flow) do
    local steps = {}
    for k, s in ipairs(f.steps) do
      steps[#steps + 1] = { no = "(" .. k .. ")", title = s.title, text = s.text }
    end
    flow[#flow + 1] = { no = "4." .. i, title = f.title, steps = steps }
  end
  local types = {}
  for i, chosen in ipairs(M.chosen_types(ctx)) do
    local t = chosen.type
    types[#types + 1] = {
      no = "5." .. i, title = t.title, why = t.why:gsub("。$", "") .. "（" .. chosen.reason .. "）。",
      level = t.level,
      signs = text_list(t.signs), first = text_list(t.first), evidence = text_list(t.evidence),
      notify = text_list(t.notify), recover = text_list(t.recover),
    }
  end
  local levels = {}
  for _, l in ipairs(incidentdata.levels) do
    levels[#levels + 1] = { level = l.level, scope = l.scope, who = l.who, example = l.example }
  end
  local legal, kinds, industry = {}, system_kinds(ctx), c.industry or ""
  for _, l in ipairs(incidentdata.legal) do
    local applies = not l.select
    for _, k in ipairs(l.select and l.select.systems or {}) do applies = applies or kinds[k] ~= nil end
    for _, i in ipairs(l.select and l.select.industries or {}) do applies = applies or i == industry end
    if applies then
      legal[#legal + 1] = { law = l.law, when = l.when, to = l.to, deadline = l.deadline,
                            note = ((l.industry_note or {})[industry] or "") .. (l.note or "") }
    end
  end
  local contacts = procedure_contacts(ctx)
  local fold, deputies = fold_note(team), deputy_note(team)
  if deputies then fold = (fold or "") .. deputies end
  local systems = {}
  for _, s in ipairs(records(ctx, "incident-systems")) do
    systems[#systems + 1] = { name = s.name, kind = s.kind, place = s.place or "", admin = s.admin or "",
                              logs = s.logs or "", retention = s.retention or "" }
  end
  return {
    company = { name = c.name }, date = documents.wareki(procedure_date(ctx)),
    expert = { name = (ctx.expert or {}).name }, version = "第1版",
    purpose = string.format("この手順書は、%sで情報セキュリティに関わる事故や、その疑いのある出来事（インシデント）が起きたときに、"
      .. "被害を小さく抑え、早く元の業務に戻し、同じことを繰り返さないために、誰が何をどの順で行うかを定めるものです。", c.name or "当社"),
    scope = "役員と、パート・派遣を含む全ての従業員に適用します。社内の機器や書類だけでなく、利用しているクラウドサービスや、"
      .. "業務を委託している先で起きたものも対象とします。",
    team = team, has_fold = fold ~= nil, fold_note = fold, levels = levels, escalation = text_list(incidentdata.escalation), flow = flow, types = types,
    evidence = text_list(incidentdata.evidence), legal = legal, contacts = contacts, systems = systems,
    has_systems = #systems > 0,
    review = { owner = who(team, incidentdata.roles[2].name), triggers = text_list(incidentdata.review_triggers) },
  }
end

-- Context (templates/incident/インシデント報告書.docx), for the example and
-- the blank: company, title, is_example, note, report { no, date, reporter,
--   detected, detected_by, type, level, summary, affected, cause, timeline[]
--   { time, event, by }, actions[], notifications[] { to, at, by, how },
--   evidence[], recovery, prevention[], status, approver }
function M.report_example_context(ctx)
  local c = ctx.company or {}
  local team = team_of(ctx)
  local ex = incidentdata.report_example
  local function named(role)
    local n = who(team, role)
    return n ~= "（未定）" and n or role
  end
  local timeline = {}
  for _, t in ipairs(ex.timeline) do
    timeline[#timeline + 1] = { time = t.time, event = t.event, by = named(t.by) }
  end
  local prevention = {}
  for _, p in ipairs(ex.prevention) do
    prevention[#prevention + 1] = string.format("%s（担当：%s、期限：%s）", p.text, named(p.by), p.due)
  end
  local notifications = {}
  for _, n in ipairs(ex.notifications) do
    notifications[#notifications + 1] = { to = n.to, at = n.at, by = named(n.by), how = n.how }
  end
  return {
    company = { name = c.name }, title = "インシデント報告書（記入例）", is_example = true,
    note = "メールの誤送信を例にした記入例です。実際の報告では、分かっていることと、まだ分からないことを分けて書き、"
      .. "分かり次第書き足して第2報・最終報とします。",
    report = {
      no = "記入例-001", date = documents.wareki(procedure_date(ctx)), reporter = named(incidentdata.roles[2].name),
      detected = ex.detected, detected_by = ex.detected_by, type = type_by_id[ex.type].title,
      level = "レベル" .. ex.level, summary = ex.summary, affected = ex.affected, cause = ex.cause,
      timeline = timeline, actions = text_list(ex.actions), notifications = notifications,
      evidence = text_list(ex.evidence), recovery = ex.recovery, prevention = prevention,
      status = ex.status, approver = named(incidentdata.roles[1].name),
    },
  }
end

local function empties(n, make)
  local out = {}
  for _ = 1, n do out[#out + 1] = make() end
  return out
end

function M.report_blank_context(ctx)
  local c = ctx.company or {}
  local function row3() return { time = "", event = "", by = "" } end
  local function row4() return { to = "", at = "", by = "", how = "" } end
  local function empty() return "" end
  return {
    company = { name = c.name }, title = "インシデント報告書", is_example = false,
    note = string.format("提出先：%s（%s）。インシデントに気付いたら、分かっている範囲で早く第1報を出し、分かり次第書き足してください。",
      incidentdata.roles[2].name, who(team_of(ctx), incidentdata.roles[2].name)),
    report = {
      no = "", date = "", reporter = "", detected = "", detected_by = "", type = "", level = "", summary = "",
      affected = "", cause = "", timeline = empties(8, row3), actions = empties(4, empty),
      notifications = empties(5, row4), evidence = empties(4, empty), recovery = "",
      prevention = empties(4, empty), status = "", approver = "",
    },
  }
end

-- Context (templates/incident/机上演習シナリオ.docx): company, date, expert,
--   scenario { title, type_title, setting, duration, objectives[] }, team[]
--   { role, name }, rules[], injects[] { no, time, text, questions[], sections,
--   expected }, debrief[]
-- 「従業員18名の」 from the company's profile (職員 for a medical corporation
-- or an office of a 士業), "" when the profile has no number.
local staff_kinds = { ["医療法人"] = true, ["社会福祉法人"] = true }
local function size_of(c)
  local n = math.tointeger(tonumber(c.employees or ""))
  if not n then return "" end
  local office = (c.name or ""):find("事務所", 1, true) or (c.industry or ""):find("医療", 1, true)
  return string.format("%s%d名の", (staff_kinds[c.kind] or office) and "職員" or "従業員", n)
end

function M.scenario_context(ctx)
  local c = ctx.company or {}
  local s = M.scenario(ctx)
  local type_no, type_title = type_section(ctx, s)
  local injects = {}
  for i, inj in ipairs(s.injects) do
    local labels = {}
    for _, id in ipairs(inj.sections) do
      labels[#labels + 1] = section_label(id, type_no, type_title or type_by_id[s.type].title)
    end
    injects[#injects + 1] = { no = i, time = inj.time, text = inj.text, questions = text_list(inj.questions),
                              sections = table.concat(labels, "、"), expected = inj.expected }
  end
  local team = {}
  for _, t in ipairs(team_of(ctx)) do
    team[#team + 1] = { role = t.role, name = t.folded and (t.name .. "（" .. t.folded .. "が兼ねる）") or t.name }
  end
  return {
    company = { name = c.name }, date = documents.wareki(documents.visit_date_or_today(ctx, 3)),
    expert = { name = (ctx.expert or {}).name },
    scenario = { title = s.title, type_title = type_by_id[s.type].title, setting = (s.setting:gsub("{size}", function() return size_of(c) end)),
                 duration = s.duration, objectives = text_list(s.objectives) },
    team = team,
    rules = {
      "手順書と連絡先一覧を手元に置き、実際に起きたときと同じ役割で考えます。担当者が不在の役割は代理が務めます。",
      "進行役が状況を一つずつ示します。チームは、誰が何を判断し、誰にいつ連絡するかを声に出して決めます。",
      "分からないこと、手順書に書いていないことは、その場で記録係が「足りなかった点」として書き留めます。正解を当てることより、穴を見つけることが目的です。",
      "実際の連絡や機器の操作はしません。電話やメールは「誰に何を伝えるか」を言葉にするだけにします。",
    },
    injects = injects, debrief = text_list(s.debrief),
  }
end

-- A short cell's text on two lines at its first space ("専務取締役 加藤" →
-- 専務取締役 / 加藤), or at its last ("翌週 月曜 11:00" → 翌週 月曜 / 11:00),
-- so that a narrow column does not break a name or a time in the middle.
local function cell_lines(text, last)
  if last then
    return (text:gsub("^(.*) (%S+)$", "%1\n%2"))
  end
  return (text:gsub(" ", "\n", 1))
end

local function exercise_date(ctx)
  return documents.visit_date_or_today(ctx, 3)
end

-- Context (templates/incident/机上演習振り返り報告書.docx): company, date,
--   expert, scenario { title, type_title }, participants, summary { injects,
--   answered, minutes, gaps, text }, injects[] { no, time, situation,
--   decision, minutes }, gaps[] { rank, inject, gap, section, owner, due },
--   has_gaps, next[]
function M.review_context(ctx)
  local c = ctx.company or {}
  local s = M.scenario(ctx)
  local type_no, type_title = type_section(ctx, s)
  local date = exercise_date(ctx)
  local rows = records(ctx, "incident-exercise")
  local injects, gaps, answered, minutes = {}, {}, 0, 0
  -- A gap entered without an owner goes to the 対応責任者 of the team
  -- sheet (always named: its import refuses the role blank), said so.
  local lead, defaulted = who(team_of(ctx), incidentdata.roles[2].name), 0
  for _, r in ipairs(rows) do
    if not blank(r.decision) then answered = answered + 1 end
    minutes = minutes + (math.tointeger(r.minutes) or 0)
    injects[#injects + 1] = { no = r.no, time = cell_lines(r.time or "", true), situation = r.situation or "",
                              decision = r.decision or "（記録なし）", minutes = r.minutes or "" }
    if not blank(r.gap) then
      local section = "（未定）"
      for _, sec in ipairs(M.sections) do
        if sec.title == r.section then
          section = section_label(sec.id, type_no, type_title or type_by_id[s.type].title)
        end
      end
      local owner = r.owner
      if blank(owner) then
        owner, defaulted = lead .. "（仮）", defaulted + 1
      end
      gaps[#gaps + 1] = {
        rank = #gaps + 1, inject = r.no .. "\n" .. cell_lines(r.time or "", true), gap = r.gap, section = section,
        owner = cell_lines(owner), due = documents.wareki(r.due or documents.add_days(date, M.gap_days)),
      }
    end
  end
  local text = string.format("「%s」を想定した机上演習で、%d件の状況付与のうち%d件について判断を記録しました（合計%d分）。",
    s.title, #rows, answered, minutes)
  if #gaps > 0 then
    text = text .. string.format("手順書や体制で足りなかった点が%d件見つかりました。担当者と期限を決めて手順書を見直します。", #gaps)
  else
    text = text .. "手順書や体制で足りなかった点は記録されませんでした。"
  end
  local visit = nil
  for _, v in ipairs(ctx.visits or {}) do
    if v.n == 3 then visit = v end
  end
  local next = {
    string.format("見つかった課題に沿って手順書と連絡先一覧を直し、%sが内容を確認して全員に周知します。", lead),
    "直した手順書で、年に一度は机上演習を行います。次回は今回と別の種類のインシデントを取り上げます。",
    string.format("手順書と連絡先は、%sまでに見直します（担当者の異動や連絡先の変更があればその都度）。",
      documents.wareki(documents.add_days(date, M.review_days))),
  }
  if defaulted > 0 then
    table.insert(next, 1, string.format("担当に「（仮）」と付けた課題%d件は、演習で担当者を決めなかったため、"
      .. "体制・連絡先シートで%sとした%sを仮の担当としました。社内で担当を決め直したときは、その人に引き継ぎます。",
      defaulted, incidentdata.roles[2].name, lead))
  end
  return {
    company = { name = c.name }, date = documents.wareki(date), expert = { name = (ctx.expert or {}).name },
    scenario = { title = s.title, type_title = type_by_id[s.type].title },
    participants = visit and not blank(visit.attendees) and visit.attendees or "（記録なし）",
    summary = { injects = #rows, answered = answered, minutes = minutes, gaps = #gaps, text = text },
    injects = injects, gaps = gaps, has_gaps = #gaps > 0, next = next,
  }
end

M.docs = {
  team = document {
    id = "incident-team", title = "体制・連絡先シート", file = "体制・連絡先シート.xlsx",
    worksheet = "incident-team", role = "pack", visits = { 1 },
  },
  procedure = document {
    id = "incident-procedure", title = "インシデント対応手順書", file = "インシデント対応手順書.docx",
    template = "incident/インシデント対応手順書.docx", role = "report", visits = { 2 }, requires = "held",
    needs = { "incident-team" }, context = M.procedure_context,
  },
  report_example = document {
    id = "incident-report-example", title = "インシデント報告書（記入例）", file = "インシデント報告書_記入例.docx",
    template = "incident/インシデント報告書.docx", role = "report", visits = { 2 }, requires = "held",
    needs = { "incident-team" }, context = M.report_example_context,
  },
  report_blank = document {
    id = "incident-report-blank", title = "インシデント報告書（様式）", file = "インシデント報告書_様式.docx",
    template = "incident/インシデント報告書.docx", role = "report", visits = { 2 }, requires = "held",
    needs = { "incident-team" }, context = M.report_blank_context,
  },
  -- The participants get the setting, the team and the rules; the injects
  -- with the facilitator's questions and what a good answer holds stay
  -- with the expert (role expert: out of the pack handed to the company).
  scenario_participants = document {
    id = "incident-scenario-participants", title = "机上演習シナリオ（参加者用）", file = "机上演習シナリオ_参加者用.docx",
    template = "incident/机上演習シナリオ_参加者用.docx", role = "pack", visits = { 3 },
    needs = { "incident-team" }, context = M.scenario_context,
  },
  scenario = document {
    id = "incident-scenario", title = "机上演習シナリオ（進行役用）", file = "第{n}回_机上演習シナリオ_進行役用.docx",
    template = "incident/机上演習シナリオ.docx", role = "expert", visits = { 3 },
    needs = { "incident-team" }, context = M.scenario_context,
  },
  exercise = document {
    id = "incident-exercise", title = "机上演習記録", file = "机上演習記録.xlsx",
    worksheet = "incident-exercise", role = "pack", visits = { 3 },
  },
  review = document {
    id = "incident-review", title = "机上演習 振り返り報告書", file = "机上演習振り返り報告書.docx",
    template = "incident/机上演習振り返り報告書.docx", role = "report", visits = { 3 }, requires = "held",
    needs = { "incident-team", "incident-exercise" }, context = M.review_context,
  },
}

return M
