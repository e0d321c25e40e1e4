-- Theme 1 (情報セキュリティ規程の整備): its worksheets and the documents built
-- from them.
--   M.check       情報セキュリティ関連規程チェックシート: the company rates each
--                 regulation area (regcheck.lua) and says which optional
--                 modules apply to it;
--   M.roles       体制・役割シート: the company's names for the roles the
--                 regulations name (regulations.lua), the representative first;
--   M.commitments 基本方針 検討シート: the commitments its basic policy makes
--                 (basic_policy.lua);
--   M.status      基本方針/関連規程の整備状況確認一覧表: every area's state and
--                 its gap ranked by urgency, importance and difficulty;
-- and the contexts of the 情報セキュリティ基本方針, the 情報セキュリティ関連規程
-- （案） with its glossary, the 運用計画 and the 自社診断結果報告.
local documents = require "documents"
local regulations = require "regulations"
local regcheck = require "regcheck"
local basic_policy = require "basic_policy"
local glossary = require "glossary"
local selfdiag = require "selfdiag"
local profile = require "profile"

local M = {}

-- The answers of the checklist, in drop-down order.
M.applies = { "該当する", "該当しない" }
M.states = { "有", "一部", "無" }
M.practice = { "運用している", "一部運用している", "運用していない" }
M.priorities = { "高", "中", "低" }
M.adopt = { "採用する", "採用しない" }

-- The open gaps are judged by where their score (緊急度×重要度＋(3−難易度))
-- stands among all the open gaps' scores: a gap is in a band when fewer
-- than `share` of the open gaps score higher than it (so ties share a band,
-- the highest score is always 最優先, and 最優先 is about a quarter of the
-- gaps rather than half of them as a fixed threshold gave). The due dates
-- of the measures follow the judgement.
M.judgements = {
  { share = 0.25, label = "最優先", due_days = 90 },
  { share = 0.6, label = "優先", due_days = 180 },
  { label = "計画的", due_days = 365 },
}
M.done_label = "整備済"

-- Days after the third visit for each step of the operation plan.
M.plan_days = { approve = 14, announce = 30, train = 45, start = 60, inspect = 240, review = 365 }

-- Which role owns the measures of a chapter (default: the security lead).
M.chapter_owner = {
  human = "hr", access = "admin", infrastructure = "admin", it_use = "admin", cloud = "admin",
  development = "admin", incident = "response", mynumber = "mynumber_officer",
}

local light_red = "#F8CBAD"
local light_yellow = "#FFF2CC"
local light_green = "#E2EFDA"

-- --- Small helpers --------------------------------------------------------

local function set_of(list)
  local s = {}
  for _, v in ipairs(list or {}) do
    s[v] = true
  end
  return s
end

local function blank(v)
  return v == nil or v == ""
end

-- Whether an entry with `only = { variant… }` is in force for the variants.
local function for_variants(entry, variants)
  if not entry.only then
    return true
  end
  for _, v in ipairs(entry.only) do
    if variants[v] then
      return true
    end
  end
  return false
end

local chapter_by_id = {}
for _, ch in ipairs(regulations.chapters) do
  chapter_by_id[ch.id] = ch
end

local condition_by_id = {}
for _, c in ipairs(regulations.conditions) do
  condition_by_id[c.id] = c
end

local role_by_name, role_by_id = {}, {}
for _, r in ipairs(regulations.roles) do
  role_by_name[r.name] = r
  role_by_id[r.id] = r
end

local function variants_of(ctx)
  return set_of(ctx.variants)
end

-- The areas the company is asked about, for its variants.
local function areas_for(ctx)
  local variants, out = variants_of(ctx), {}
  for _, a in ipairs(regcheck.areas) do
    if for_variants(a, variants) then
      out[#out + 1] = a
    end
  end
  return out
end

-- Words in the profile's notes that say a module applies.
M.note_hints = {
  telework = { "在宅勤務", "テレワーク", "リモートワーク" },
  mynumber = { "マイナンバー", "個人番号" },
  cloud = { "クラウド" },
  outsourcing = { "委託" },
  byod = { "私物" },
}

-- A condition's answer before the company gives one: the data's default,
-- corrected by what the profile says (its industry, its staff, and words in
-- its notes such as 在宅勤務 or マイナンバー).
local function default_condition(ctx, id)
  local c = ctx.company or {}
  for _, word in ipairs(M.note_hints[id] or {}) do
    if (c.notes or ""):find(word, 1, true) then
      return true
    end
  end
  if id == "development" then
    return c.industry == "情報通信業"
  end
  if id == "mynumber" and c.employees == 0 then
    return false
  end
  local cond = condition_by_id[id]
  return cond ~= nil and cond.default == true
end

-- The conditions in force: the checklist's answers, else the defaults.
local function conditions_of(ctx)
  local answered = {}
  for _, r in ipairs((ctx.records or {})["regulation-check"] or {}) do
    answered[r.area] = r.applies
  end
  local out = {}
  for _, a in ipairs(regcheck.areas) do
    if a.when then
      local ans = answered[a.area]
      if ans == nil then
        out[a.when] = default_condition(ctx, a.when)
      else
        out[a.when] = ans == M.applies[1]
      end
    end
  end
  return out
end

-- Whether the compact edition is in force.
local function is_compact(ctx)
  return variants_of(ctx).compact == true
end

-- The company's names for the roles: id → { name, title, person, staffed,
-- key, folded, holder }. `key` is the same for two roles the same person
-- holds (the person's name, else the title); a role nobody was named for
-- is `folded` into the role that covers it (regulations.lua), whose title,
-- person and key it takes, `holder` being that role's id.
local function roles_of(ctx)
  local given = {}
  for _, r in ipairs((ctx.records or {})["regulation-roles"] or {}) do
    given[r.role] = r
  end
  local compact = is_compact(ctx)
  local out = {}
  for _, r in ipairs(regulations.roles) do
    local g = given[r.name] or {}
    local staffed = not blank(g.title) or not blank(g.person)
    local keeps_name = r.body or not r.cover or (r.generic and not compact)
    out[r.id] = {
      id = r.id, name = r.name, cover = r.cover,
      title = blank(g.title) and r.name or g.title,
      person = g.person or "",
      staffed = staffed,
      folded = not staffed and not keeps_name,
    }
  end
  for _, r in pairs(out) do
    if not r.folded then
      r.key = blank(r.person) and r.title or r.person
      r.holder = r.id
    end
  end
  -- A folded role takes the holder of the role covering it (the chain ends
  -- at the representative, who is never folded).
  local function resolve(r, depth)
    if not r.folded or depth > #regulations.roles then
      return r
    end
    return resolve(out[r.cover], depth + 1)
  end
  for _, r in pairs(out) do
    if r.folded then
      local h = resolve(r, 0)
      r.title, r.person, r.key, r.holder = h.title, h.person, h.key, h.id
    end
  end
  return out
end

-- The roles nobody holds, as one sentence naming who does their duties;
-- nil when every role is held.
local function folded_sentence(roles)
  local by_holder, order = {}, {}
  for _, r in ipairs(regulations.roles) do
    local g = roles[r.id]
    if g and g.folded then
      local h = roles[g.holder]
      if not by_holder[h.key] then
        by_holder[h.key] = { title = h.title, names = {} }
        order[#order + 1] = h.key
      end
      local list = by_holder[h.key].names
      list[#list + 1] = r.name
    end
  end
  if #order == 0 then
    return nil
  end
  local function listed(names)
    if #names == 1 then
      return names[1]
    end
    return table.concat(names, "、", 1, #names - 1) .. "及び" .. names[#names]
  end
  local parts = {}
  for _, k in ipairs(order) do
    local h = by_holder[k]
    parts[#parts + 1] = h.title .. "が" .. listed(h.names) .. "の職務"
  end
  return "このほかの役割には個別の担当者を置かず、" .. table.concat(parts, "を、")
    .. "を行う。"
end

-- How the organisation speaks of itself (当社, 当法人, 当事務所…) and of
-- those it serves: a professional office (士業) calls them 顧問先, an
-- organisation whose profile speaks of 患者 calls them so, any other keeps
-- the text's 顧客 and お客様.
local function organisation(ctx)
  local c = ctx.company or {}
  local org = profile.organisation(c)
  if org.self == "当事務所" then
    org.client = "顧問先"
  elseif (c.notes or ""):find("患者", 1, true) then
    org.client = "患者"
  end
  return org
end

local function org_words(text, org)
  text = text:gsub("全社を挙げて", org.effort)
  text = text:gsub("全社的に", org.wide)
  if org.client then
    text = text:gsub("顧客", org.client):gsub("お客様", org.client)
  end
  return (text:gsub("当社", org.self))
end

-- An area of the checklist as the organisation words it.
local function area_words(a, org)
  return org_words(a.area, org), org_words(a.point, org)
end

-- The article on the website without the online shop's rules, for an
-- organisation that runs no shop: one website, so no 「ウェブサイト等」 and
-- no payment service.
local function no_shop_words(text)
  text = text:gsub("ウェブサイト及びネットショップ（以下「ウェブサイト等」という。）ごとに", "ウェブサイトの")
  text = text:gsub("ウェブサイト及びネットショップ", "ウェブサイト")
  text = text:gsub("、決済サービス等", "等")
  return (text:gsub("ウェブサイト等", "ウェブサイト"))
end

local function without_shop(body)
  local out = {}
  for _, e in ipairs(body) do
    if type(e) ~= "string" then
      local items = {}
      for i, it in ipairs(e) do
        items[i] = no_shop_words(it)
      end
      out[#out + 1] = items
    elseif not e:find("^ネットショップ") then
      out[#out + 1] = no_shop_words(e)
    end
  end
  return out
end

-- After the roles are put in as markers (\1key\2, one key per person), the
-- sentences that name one person twice are rewritten: a person does not
-- appoint, consult, report to or stand in for themselves, and "A又はA" is A.
local H = "(\1[^\1\2]*\2)"

-- A text cut after each 。 (the pieces joined give the text again).
local function sentences(text)
  local out, from = {}, 1
  while from <= #text do
    local _, e = text:find("。", from, true)
    e = e or #text
    out[#out + 1] = text:sub(from, e)
    from = e + 1
  end
  return out
end

-- Removes "SUBJが…任命し、" / "SUBJが…指名し、" (one clause, up to the
-- next 、) from a sentence whose subject is SUBJ: nobody appoints
-- themselves.
local function drop_appointment(rest, subj)
  local from = 1
  while true do
    local s1, s2 = rest:find(subj .. "が", from, true)
    if not s1 then
      return rest
    end
    local c1, c2 = rest:find("、", s2 + 1, true)
    if not c1 then
      return rest
    end
    local clause = rest:sub(s1, c1 - 1)
    if clause:sub(-#"任命し") == "任命し" or clause:sub(-#"指名し") == "指名し" then
      rest = rest:sub(1, s1 - 1) .. rest:sub(c2 + 1)
    else
      from = s2 + 1
    end
  end
end

local function rewrite(text)
  local prev
  repeat
    prev = text
    text = text:gsub(H .. "又は%1", "%1")
    text = text:gsub(H .. "及び%1", "%1")
    text = text:gsub(H .. "、%1", "%1")
    text = text:gsub(H .. "が不在のときは%1が、", "")
    text = text:gsub(H .. "が不在のときは%1が", "")
    text = text:gsub(H .. "が行い、%1に報告する", "%1が行う")
  until text == prev
  -- Sentence by sentence: what the subject does with itself goes.
  local out, last_subject = {}, nil
  for _, sentence in ipairs(sentences(text)) do
    local _, head, subj = sentence:find(H .. "は")
    -- "B is appointed by A. A may hold it." when A and B are one person
    local holder = sentence:match("^" .. H .. "が兼ねることができる。$")
    if holder and holder == last_subject then
      sentence = ""
    end
    last_subject = subj
    if subj then
      local rest = sentence:sub(head + 1)
      local q = subj:gsub("%p", "%%%0")
      rest = drop_appointment(rest, subj)
      rest = rest:gsub(q .. "と協力して、", ""):gsub(q .. "と協力して", "")
      rest = rest:gsub(q .. "の協力を得て、", ""):gsub(q .. "の協力を得て", "")
      rest = rest:gsub(q .. "の下で、", "")
      rest = rest:gsub(q .. "と協議して、", ""):gsub(q .. "と協議して", "")
      rest = rest:gsub(q .. "の申請に基づいて", "")
      rest = rest:gsub(q .. "の申請に基づき、", "")
      rest = rest:gsub("直ちに" .. q .. "に報告し、", "直ちに")
      rest = rest:gsub(q .. "及び", "")
      rest = rest:gsub("及び" .. q, "")
      rest = rest:gsub(q .. "又は", "")
      rest = rest:gsub("又は" .. q, "")
      -- nobody reports to themselves: they keep the record instead
      rest = rest:gsub("し、" .. q .. "に報告するものとする", "するものとする")
      rest = rest:gsub("を" .. q .. "に報告し", "を記録し")
      rest = rest:gsub("を" .. q .. "に報告する", "を記録する")
      rest = rest:gsub(q .. "を任命する", "役割を自ら担う")
      rest = rest:gsub(q .. "に(.-)させる", "自ら%1する")
      rest = rest:gsub("^、、", "、")
      sentence = sentence:sub(1, head) .. rest
    end
    out[#out + 1] = sentence
  end
  return table.concat(out)
end

-- Replaces {company} and {role} in a text, says 当社 the way the
-- organisation does, and rewrites what one person holding two roles
-- would make read wrong.
local function fill(text, ctx, roles)
  local titles, n = {}, 0
  if roles.dept_head and roles.dept_head.folded then
    for _, pair in ipairs(regulations.no_departments) do
      local from = pair[1]:gsub("%p", "%%%0")
      text = text:gsub(from, (pair[2]:gsub("%%", "%%%%")))
    end
  end
  text = text:gsub("{([%w_]+)}", function(key)
    if key == "company" then
      return (ctx.company or {}).name or "当社"
    end
    local r = roles[key]
    if not r then
      return nil
    end
    titles[r.key] = r.title
    n = n + 1
    return "\1" .. r.key .. "\2"
  end)
  if n > 1 then
    text = rewrite(text)
  end
  text = text:gsub("\1([^\1\2]*)\2", titles)
  return org_words(text, organisation(ctx))
end

local visit_date = documents.visit_date_of

-- --- The worksheets -------------------------------------------------------

M.check = worksheet {
  id = "regulation-check",
  file = "情報セキュリティ関連規程チェックシート.xlsx",
  sheet = "規程チェックシート",
  title = "情報セキュリティ関連規程チェックシート",
  guidance = {
    "情報セキュリティに関する社内のルールが、領域ごとにどこまで整っているかを確かめるシートです。",
    "「該当」は、その領域が貴社の業務にあるかどうかです。「該当しない」とした任意の領域（クラウド、テレワーク、委託など）は、規程（案）の章から外れます。",
    "「規程の有無」は文書になったルールがあるか（有・一部・無）、「規定している文書」はその文書名や条項、「運用状況」は実際に守られているかを選んでください。",
    "「優先度」は、貴社として早く整えたいと感じる度合いです。迷ったら空欄のままで構いません。",
  },
  fields = documents.filler_fields(),
  columns = {
    { key = "no", header = "No.", type = "integer", width = 5 },
    { key = "chapter", header = "章", type = "text", width = 16, wrap = true },
    { key = "area", header = "領域", type = "text", width = 26, wrap = true },
    { key = "point", header = "確認のポイント", type = "text", width = 48, wrap = true },
    { key = "applies", header = "該当", type = "enum", choices = M.applies, required = true, input = true,
      width = 11, help = "その領域が貴社の業務にあるかどうかを選んでください。" },
    { key = "state", header = "規程の有無", type = "enum", choices = M.states, input = true, width = 9,
      help = "有：文書になっている　一部：一部だけ文書になっている　無：文書がない" },
    { key = "where", header = "規定している文書", type = "text", input = true, width = 22, wrap = true,
      help = "例：就業規則 第12条、パソコン利用ルール" },
    { key = "practice", header = "運用状況", type = "enum", choices = M.practice, input = true, width = 15 },
    { key = "priority", header = "優先度", type = "enum", choices = M.priorities, input = true, width = 7 },
    { key = "note", header = "備考", type = "text", input = true, width = 24, wrap = true },
  },
  key = "no",
  rows = function(ctx)
    local rows = {}
    for i, a in ipairs(areas_for(ctx)) do
      local applies = not a.when or default_condition(ctx, a.when)
      local area, point = area_words(a, organisation(ctx))
      rows[i] = {
        no = i, chapter = chapter_by_id[a.chapter].title, area = area, point = point,
        applies = applies and M.applies[1] or M.applies[2],
      }
    end
    return rows
  end,
  fixed_rows = true,
  freeze = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  conditional = {
    { column = "state", equals = "無", fill = light_red },
    { column = "state", equals = "一部", fill = light_yellow },
    { column = "applies", equals = "該当しない", fill = "#D9D9D9" },
  },
}

M.roles = worksheet {
  id = "regulation-roles",
  file = "体制・役割シート.xlsx",
  sheet = "体制・役割",
  title = "情報セキュリティの体制と役割",
  guidance = {
    "規程で使う役割ごとに、貴社での呼び方（役職名や部署名）と担当する人を記入してください。規程（案）と基本方針に、この名前が入ります。",
    "小さな会社では、一人が複数の役割を兼ねて構いません（例：情報セキュリティ責任者とシステム管理者を総務部長が兼ねる）。",
    "「代表者」の行には、基本方針に署名する方の役職と氏名を記入してください。",
  },
  fields = {
    { label = "会社名", value = "company.name" },
  },
  columns = {
    { key = "no", header = "No.", type = "integer", width = 5 },
    { key = "role", header = "役割", type = "text", width = 24 },
    { key = "description", header = "役割の内容", type = "text", width = 52, wrap = true },
    { key = "title", header = "貴社での名称（役職・部署）", type = "text", input = true, width = 26,
      help = "例：代表取締役、総務部長、情報システム担当" },
    { key = "person", header = "担当者氏名", type = "text", input = true, width = 18 },
  },
  key = "no",
  rows = function(ctx)
    -- The compact edition asks only for the few roles a small office
    -- names; the others fold into them (roles_of).
    local rows, compact = {}, is_compact(ctx)
    for _, r in ipairs(regulations.roles) do
      if r.compact or not compact then
        rows[#rows + 1] = { no = #rows + 1, role = r.name,
                            description = org_words(r.description, organisation(ctx)) }
      end
    end
    -- The contact person registered with the company is a good first guess
    -- for the representative when the role is a representative's.
    local c = ctx.company or {}
    if rows[1] and regulations.roles[1].id == "representative" and c.contact_role
      and c.contact_role:find("代表") then
      rows[1].title, rows[1].person = c.contact_role, c.contact_name
    end
    return rows
  end,
  fixed_rows = true,
  freeze = true,
  print = { landscape = false, fit_width = true, repeat_header = true },
  protect = true,
}

M.commitments = worksheet {
  id = "policy-commitments",
  file = "基本方針検討シート.xlsx",
  sheet = "基本方針の検討",
  title = "情報セキュリティ基本方針 検討シート",
  guidance = {
    "基本方針に盛り込む約束ごとを選ぶシートです。各項目の「採用」を選び、貴社の言葉にしたいときは「貴社の文言」に書き換えた文を記入してください（空欄なら標準の文を使います）。",
    "基本方針は経営者が自ら示すものです。経営者の方と一緒に検討してください。ウェブサイト等で公開すると、SECURITY ACTION 二つ星の宣言に使えます。",
  },
  fields = {
    { label = "会社名", value = "company.name" },
  },
  columns = {
    { key = "no", header = "No.", type = "integer", width = 5 },
    { key = "heading", header = "項目", type = "text", width = 20, wrap = true },
    { key = "text", header = "標準の文", type = "text", width = 60, wrap = true },
    { key = "adopt", header = "採用", type = "enum", choices = M.adopt, required = true, input = true, width = 11 },
    { key = "wording", header = "貴社の文言（変えるときのみ）", type = "text", input = true, width = 44, wrap = true },
  },
  key = "no",
  rows = function(ctx)
    local rows = {}
    local two_stars = (ctx.company or {}).security_action == "二つ星"
    for i, c in ipairs(basic_policy.clauses) do
      local adopt = c.standard or (c.id == "disclosure" and two_stars)
      rows[i] = {
        no = i, heading = org_words(c.heading, organisation(ctx)), text = fill(c.text, ctx, {}),
        adopt = adopt and M.adopt[1] or M.adopt[2],
      }
    end
    return rows
  end,
  fixed_rows = true,
  freeze = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = true,
  conditional = {
    { column = "adopt", equals = "採用しない", fill = "#D9D9D9" },
  },
}

-- --- The triage of the gaps ------------------------------------------------

local function urgency(state, practice)
  if state == "有" and (practice == nil or practice == "" or practice == M.practice[1]) then
    return 1
  end
  if state == "無" or state == nil or state == "" then
    return 3
  end
  return 2
end

-- The judgement of a gap: `higher` open gaps of `open` score above it.
local function judgement(u, higher, open)
  if u == 1 then
    return M.done_label
  end
  for _, j in ipairs(M.judgements) do
    if j.share == nil or higher < j.share * open then
      return j.label
    end
  end
end

local function due_days(label)
  for _, j in ipairs(M.judgements) do
    if j.label == label then
      return j.due_days
    end
  end
  return nil
end

-- The importance the company's own priority raises or lowers.
local function importance(area, priority)
  local i = area.importance
  if priority == "高" then
    i = math.min(3, i + 1)
  elseif priority == "低" then
    i = math.max(1, i - 1)
  end
  return i
end

-- The checklist's areas by their label, as the data words it and as the
-- organisation does (a sheet written for it says 顧問先 where the data says
-- 顧客).
local function areas_by_label(org)
  local out = {}
  for _, a in ipairs(regcheck.areas) do
    out[a.area] = a
    out[org_words(a.area, org)] = a
  end
  return out
end

-- The status of every applicable area, the largest gap first.
local function status_rows(ctx)
  local rows = {}
  local org = organisation(ctx)
  local area_by_label = areas_by_label(org)
  for _, r in ipairs((ctx.records or {})["regulation-check"] or {}) do
    local a = area_by_label[r.area]
    if a and r.applies ~= M.applies[2] then
      local u = urgency(r.state, r.practice)
      local imp = importance(a, r.priority)
      local score = u * imp + 3 - a.difficulty
      rows[#rows + 1] = {
        chapter = r.chapter, area = org_words(a.area, org), point = org_words(a.point, org),
        owner = a.owner, state = r.state or "無", where = r.where or "",
        practice = r.practice or "", priority = r.priority or "", urgency = u, importance = imp,
        difficulty = a.difficulty, score = score,
        chapter_id = a.chapter, order = r.no,
      }
    end
  end
  local open = 0
  for _, r in ipairs(rows) do
    if r.urgency > 1 then
      open = open + 1
    end
  end
  for _, r in ipairs(rows) do
    local higher = 0
    for _, o in ipairs(rows) do
      if o.urgency > 1 and o.score > r.score then
        higher = higher + 1
      end
    end
    r.judgement = judgement(r.urgency, higher, open)
  end
  table.sort(rows, function(x, y)
    if x.score ~= y.score then
      return x.score > y.score
    end
    return x.order < y.order
  end)
  for i, r in ipairs(rows) do
    r.rank = i
  end
  return rows
end

-- The same as a live formula over the sheet's own columns.
local function excel_judgement()
  local f = string.format('IF({urgency}=1,"%s",', M.done_label)
  local close = ")"
  local higher = 'COUNTIFS({regulation-status:urgency},">1",{regulation-status:score},">"&{score})'
  local open = 'COUNTIF({regulation-status:urgency},">1")'
  for i, j in ipairs(M.judgements) do
    if j.share and i < #M.judgements then
      f = f .. string.format('IF(%s<%s*%s,"%s",', higher, tostring(j.share), open, j.label)
      close = close .. ")"
    else
      f = f .. string.format('"%s"', j.label)
    end
  end
  return f .. close
end

M.status = worksheet {
  id = "regulation-status",
  output = true,
  file = "基本方針_関連規程の整備状況確認一覧表.xlsx",
  sheet = "整備状況確認一覧表",
  title = "基本方針/関連規程の整備状況確認一覧表",
  guidance = {
    "規程チェックシートの回答から、領域ごとの整備状況と、整えるべき順番をまとめた一覧です（該当しない領域は除いています）。",
    "緊急度：規程が無い＝3、一部しかない・守られていない＝2、整っている＝1。重要度：領域の重要さ（1〜3、貴社の優先度で±1）。難易度：整えるための手間（1〜3）。",
    "優先度点＝緊急度×重要度＋（3−難易度）。整っていない領域のうち、点数が上位4分の1に入るものを最優先、上位6割までを優先、残りを計画的に整えます（同じ点数は同じ判定）。数値を変えると点数と判定も変わります。",
  },
  fields = {
    { label = "会社名", value = "company.name" },
    documents.dates.field("作成日"),
  },
  columns = {
    { key = "rank", header = "順位", type = "integer", width = 6 },
    { key = "chapter", header = "章", type = "text", width = 26, wrap = true },
    { key = "area", header = "領域", type = "text", width = 34, wrap = true },
    { key = "state", header = "規程の有無", type = "text", width = 9 },
    { key = "practice", header = "運用状況", type = "text", width = 15 },
    { key = "where", header = "規定している文書", type = "text", width = 20, wrap = true },
    { key = "urgency", header = "緊急度", type = "integer", width = 7, input = true },
    { key = "importance", header = "重要度", type = "integer", width = 7, input = true },
    { key = "difficulty", header = "難易度", type = "integer", width = 7, input = true },
    { key = "score", header = "優先度点", type = "integer", width = 9,
      formula = "{urgency}*{importance}+3-{difficulty}",
      compute = function(row) return row.urgency * row.importance + 3 - row.difficulty end },
    { key = "judgement", header = "判定", type = "text", width = 9,
      formula = excel_judgement(),
      compute = function(row) return row.judgement end },
  },
  rows = status_rows,
  freeze = true,
  autofilter = true,
  print = { landscape = true, fit_width = true, repeat_header = true },
  conditional = {
    { column = "judgement", equals = "最優先", fill = light_red },
    { column = "judgement", equals = "優先", fill = light_yellow },
    { column = "judgement", equals = M.done_label, fill = light_green },
  },
}

-- --- 情報セキュリティ基本方針 -----------------------------------------------

-- Context (templates/policy/情報セキュリティ基本方針.docx):
--   title, company.name, preamble, clauses[] { n, heading, text }, closing,
--   enacted, representative { title, name }
function M.policy_context(ctx)
  local roles = roles_of(ctx)
  local chosen = {}
  for _, r in ipairs((ctx.records or {})["policy-commitments"] or {}) do
    chosen[math.tointeger(r.no) or 0] = r
  end
  local clauses = {}
  for i, c in ipairs(basic_policy.clauses) do
    local r = chosen[i]
    local adopt = r == nil and c.standard or (r ~= nil and r.adopt == M.adopt[1])
    if adopt then
      local text = (r and not blank(r.wording)) and r.wording or c.text
      clauses[#clauses + 1] = { n = #clauses + 1, heading = org_words(c.heading, organisation(ctx)),
                                text = fill(text, ctx, roles) }
    end
  end
  local rep = roles.representative or { title = "代表者", person = "" }
  return {
    title = basic_policy.title,
    company = { name = (ctx.company or {}).name or "" },
    preamble = fill(basic_policy.preamble, ctx, roles),
    clauses = clauses,
    closing = fill(basic_policy.closing or "", ctx, roles),
    enacted = documents.wareki(documents.visit_date_or_today(ctx, 2)),
    representative = { title = rep.title, name = rep.person },
  }
end

-- --- 情報セキュリティ関連規程（案） -----------------------------------------

local fullwidth = { "１", "２", "３", "４", "５", "６", "７", "８", "９" }

local function paragraph_label(n)
  if n == 1 then
    return ""
  end
  return (fullwidth[n] or tostring(n)) .. "　"
end

-- An article's lines: paragraphs (項, numbered from the second) and items (号).
-- In the article on roles, an item "{role}は、…" of a role nobody holds is
-- left out (the {folded} paragraph says who does it), and one of a role
-- whose person already has an item says that the person holds it too.
local function role_items(items, roles)
  local out, seen = {}, {}
  for _, it in ipairs(items) do
    local id = it:match("^{([%w_]+)}は、")
    local r = id and roles[id]
    if not r then
      out[#out + 1] = it
    elseif not r.folded then
      if seen[r.key] then
        it = it:gsub("^({[%w_]+}は、)", "%1" .. r.name .. "を兼ね、")
        it = it:gsub("{[%w_]+}が任命し、", ""):gsub("{[%w_]+}が{[%w_]+}の承認を得て指名し、", "")
      end
      seen[r.key] = true
      out[#out + 1] = it
    end
  end
  return out
end

local function article_lines(body, ctx, roles, texts, on_roles)
  local lines, para = {}, 0
  for _, e in ipairs(body) do
    if type(e) == "table" then
      for i, it in ipairs(on_roles and role_items(e, roles) or e) do
        local t = fill(it, ctx, roles)
        texts[#texts + 1] = t
        lines[#lines + 1] = { para = false, item = true, label = "（" .. i .. "）", text = t }
      end
    elseif e == "{folded}" then
      local t = folded_sentence(roles)
      if t then
        para = para + 1
        t = org_words(t, organisation(ctx))
        texts[#texts + 1] = t
        lines[#lines + 1] = { para = true, item = false, label = paragraph_label(para), text = t }
      end
    else
      para = para + 1
      local t = fill(e, ctx, roles)
      texts[#texts + 1] = t
      lines[#lines + 1] = { para = true, item = false, label = paragraph_label(para), text = t }
    end
  end
  return lines
end

local function included(entry, conditions, variants)
  return (not entry.when or conditions[entry.when]) and for_variants(entry, variants)
end

-- Which chapters and articles the company's draft holds. Returns the
-- chapters (with their articles) and the chapters left out with why.
function M.assemble(ctx)
  local variants, conditions = variants_of(ctx), conditions_of(ctx)
  local compact = variants.compact == true
  local roles = roles_of(ctx)
  local org = organisation(ctx)
  local chapters, omitted, texts = {}, {}, {}
  local n = 0
  for _, ch in ipairs(regulations.chapters) do
    if not for_variants(ch, variants) then
      -- a variant's own chapter: not part of this company's set at all
    elseif ch.when and not conditions[ch.when] then
      local cond = condition_by_id[ch.when]
      omitted[#omitted + 1] = {
        title = ch.title,
        reason = "チェックシートで「" .. (cond and cond.label or ch.when) .. "」に該当しないとされたため",
      }
    else
      local arts = {}
      for _, a in ipairs(ch.articles) do
        if included(a, conditions, variants) and (a.core or not compact) then
          local body, title = {}, a.title
          for _, e in ipairs(compact and a.compact or a.body) do
            body[#body + 1] = e
          end
          if ch.id == "infrastructure" and a.id == "website" and not org.shop then
            body, title = without_shop(body), "ウェブサイトの管理"
          end
          for _, v in ipairs(ctx.variants or {}) do
            for _, e in ipairs((a.extra or {})[v] or {}) do
              body[#body + 1] = e
            end
          end
          n = n + 1
          arts[#arts + 1] = { id = a.id, label = "第" .. n .. "条", title = org_words(title, org),
                              lines = article_lines(body, ctx, roles, texts,
                                                       ch.id == "general" and a.id == "roles") }
        end
      end
      if #arts > 0 then
        chapters[#chapters + 1] = { id = ch.id, title = ch.title, articles = arts }
      end
    end
  end
  for i, ch in ipairs(chapters) do
    ch.label = "第" .. i .. "章"
    local first, last = ch.articles[1].label, ch.articles[#ch.articles].label
    ch.range = first == last and first or (first .. "〜" .. last)
  end
  return chapters, omitted, texts, roles
end

local function variant_label(ctx)
  local labels = {}
  for _, v in ipairs(regulations.variants) do
    for _, id in ipairs(ctx.variants or {}) do
      if id == v.id then
        labels[#labels + 1] = v.label
      end
    end
  end
  return table.concat(labels, "・")
end

local function role_rows(roles)
  local out = {}
  for _, r in ipairs(regulations.roles) do
    local g = roles[r.id]
    out[#out + 1] = { role = r.name, name = g.folded and (g.title .. "（兼務）") or g.title,
                      person = g.person }
  end
  return out
end

-- Context (templates/policy/情報セキュリティ関連規程（案）.docx): title,
-- company.name, edition, variant, date, expert.name, intro[], toc[] { label,
-- title, range }, roles[] { role, name, person }, chapters[] { label, title,
-- articles[] { label, title, lines[] { para, item, label, text } } },
-- supplementary, omitted[] { title, reason }, has_omitted, revisions[]
-- { version, date, content, approver }, glossary[] { term, text }
function M.regulations_context(ctx)
  local chapters, omitted, texts, roles = M.assemble(ctx)
  local compact = variants_of(ctx).compact == true
  local articles = 0
  local toc = {}
  for _, ch in ipairs(chapters) do
    articles = articles + #ch.articles
    toc[#toc + 1] = { label = ch.label, title = ch.title, range = ch.range }
  end
  local terms = {}
  for _, t in ipairs(glossary.used_in(texts)) do
    terms[#terms + 1] = { term = t.term, text = org_words(t.text, organisation(ctx)) }
  end
  local company = (ctx.company or {}).name or ""
  local intro = {
    string.format("本書は、%sの情報セキュリティ関連規程の案です。チェックシートで確かめた現在のルールと業務の実態をもとに、"
      .. "必要な章だけを選んで%d章%d条にまとめました。", company, #chapters, articles),
    "条文中の役職名・部署名は、体制・役割シートで記入いただいた貴社の呼び方にしてあります。実態と合わない箇所は、採用の前に書き換えてください。",
    "既存の就業規則や業務マニュアルに同じ定めがあるときは、どちらか一方に寄せ、食い違いが残らないようにしてください。",
    "採用するときは、代表者の承認を得て施行日を附則に記入し、改訂履歴に記録したうえで、全従業員に周知します。",
  }
  if compact then
    intro[#intro + 1] = "従業員20名以下の企業向けの簡易版です。小さな組織でまず必要になる条文に絞っています。人数が増えたら標準版への切り替えを検討してください。"
  end
  local vl = variant_label(ctx)
  if vl ~= "" then
    intro[#intro + 1] = vl .. "の条文と補足を加えています。"
  end
  local revisions = {
    { version = "第1版（案）", date = (documents.wareki(documents.visit_date_or_today(ctx, 3)):gsub("（", "\n（", 1)),
      content = "新規制定（案）",
      approver = "" },
  }
  for _ = 1, 4 do
    revisions[#revisions + 1] = { version = "", date = "", content = "", approver = "" }
  end
  return {
    title = "情報セキュリティ関連規程（案）",
    company = { name = company },
    edition = compact and "簡易版（従業員20名以下向け）" or "標準版",
    variant = vl,
    date = documents.wareki(documents.visit_date_or_today(ctx, 3)),
    expert = { name = (ctx.expert or {}).name or "" },
    intro = intro,
    toc = toc,
    roles = role_rows(roles),
    chapters = chapters,
    supplementary = "この規程は、令和　　年　　月　　日から施行する。",
    omitted = omitted,
    has_omitted = #omitted > 0,
    revisions = revisions,
    glossary = terms,
  }
end

-- --- 運用計画 ----------------------------------------------------------------

local function role_title(roles, id)
  local r = roles[id] or roles.ciso
  return r and r.title or ""
end

-- Who owns a measure: the role's holder when someone was named for it (or
-- its duties were folded into someone's), else whoever covers it.
local function owner_title(roles, id)
  local r = roles[id] or roles.ciso
  for _ = 1, #regulations.roles do
    if not r or r.staffed or r.folded or not r.cover then
      break
    end
    r = roles[r.cover]
  end
  return r and r.title or ""
end

-- Who trains the system administrator: the security lead, or outside
-- courses when one person holds both roles.
local function admin_trainer(roles)
  local admin, ciso = roles.admin, roles.ciso
  if admin and ciso and admin.key == ciso.key then
    return "外部の研修・セミナー"
  end
  return role_title(roles, "ciso")
end

-- The gap of a status row in words, from what the checklist said.
local function gap_text(r)
  local where = blank(r.where) and "" or ("（" .. r.where .. "）")
  local practice = r.practice == M.practice[2] and "一部しか守られていない"
    or (r.practice == M.practice[3] and "守られていない" or nil)
  if r.state == "無" or blank(r.state) then
    return "文書になったルールがない"
  end
  if r.state == "一部" then
    local use = r.practice == M.practice[2] and "。運用も一部にとどまる"
      or (r.practice == M.practice[3] and "。運用もされていない" or "")
    return "ルールが一部しか文書になっていない" .. where .. use
  end
  return "ルールはある" .. where .. "が、" .. (practice or "運用が確かめられていない")
end

-- What to do about it: the area's check point made a task, and the part of
-- the draft that covers it.
local function measure_text(r, chapter_title)
  local what = r.point:gsub("を定めているか$", "を規程で定め")
  if what == r.point then
    what = r.area .. "のルールを規程で定め"
  end
  return what .. "、関連規程（案）の「" .. chapter_title .. "」に沿って運用を始める"
end

-- Context (templates/policy/運用計画.docx): title, company.name, date,
-- expert.name, summary, steps[] { no, phase, what, who, when }, announce[]
-- { audience, method, who, when }, training[] { audience, topic, who, when },
-- measures[] { rank, area, judgment, owner, due }, has_measures,
-- review { date, who, what }, roles[]
function M.plan_context(ctx)
  local roles = roles_of(ctx)
  local conditions = conditions_of(ctx)
  local d0 = documents.visit_date_or_today(ctx, 3)
  local function on(days)
    return documents.wareki(documents.add_days(d0, days))
  end
  -- In the tables' narrow date column the Western date goes on a line of
  -- its own rather than being broken inside its digits.
  local function by(days)
    return (on(days):gsub("（", "\n（", 1))
  end
  local d = M.plan_days
  local steps = {
    { phase = "承認", what = "基本方針と関連規程（案）を最終確認し、施行日を決めて承認する", who = role_title(roles, "representative"), when = by(d.approve) },
    { phase = "周知", what = "全従業員に規程の要点を説明し、規程を配布・掲示する", who = role_title(roles, "ciso"), when = by(d.announce) },
    { phase = "教育", what = "立場ごとに守るべきルールの研修を行い、受講記録を残す", who = role_title(roles, "edu"), when = by(d.train) },
    { phase = "施行", what = "規程を施行し、運用を始める（附則に施行日、改訂履歴に版を記録）", who = role_title(roles, "ciso"), when = by(d.start) },
    { phase = "点検", what = "規程が守られているかを点検し、結果を報告する", who = role_title(roles, "auditor"), when = by(d.inspect) },
    { phase = "見直し", what = "点検結果や事故・環境の変化を踏まえ、基本方針と規程を見直す", who = role_title(roles, "committee"), when = by(d.review) },
  }
  for i, s in ipairs(steps) do
    s.no = i
  end
  local adopted_disclosure = false
  for _, r in ipairs((ctx.records or {})["policy-commitments"] or {}) do
    if r.adopt == M.adopt[1] and basic_policy.clauses[math.tointeger(r.no) or 0]
      and basic_policy.clauses[math.tointeger(r.no)].id == "disclosure" then
      adopted_disclosure = true
    end
  end
  local announce = {
    { audience = "全従業員（パート・派遣を含む）", method = "説明会を開き、規程と要点をまとめた1枚物を配布する。閲覧場所を決めて掲示する", who = role_title(roles, "ciso"), when = by(d.announce) },
    { audience = "新たに入る従業員", method = "入社時の説明で規程を渡し、誓約書を受け取る", who = role_title(roles, "hr"), when = "入社時" },
  }
  if adopted_disclosure then
    announce[#announce + 1] = { audience = org_words("お客様・取引先", organisation(ctx)), method = "基本方針をウェブサイトに掲載し、事業所に掲示する", who = role_title(roles, "representative"), when = by(d.announce) }
  end
  if conditions.outsourcing then
    announce[#announce + 1] = { audience = "委託先", method = "守ってほしい事項を契約時に書面で示す", who = role_title(roles, "ciso"), when = "契約・更新時" }
  end
  local training = {
    { audience = "経営者・管理者", topic = "規程の全体像、責任者の役割、事故のときの判断", who = role_title(roles, "ciso"), when = by(d.train) },
    { audience = "全従業員", topic = "パスワード、メールと添付ファイル、持ち出しと紛失、事故の報告先", who = role_title(roles, "edu"), when = by(d.train) },
    { audience = "システム管理者", topic = "アカウントとアクセス権の管理、更新とバックアップ、記録の確認",
      who = admin_trainer(roles), when = by(d.train) },
    { audience = "新たに入る従業員", topic = "規程の要点と誓約事項", who = role_title(roles, "edu"), when = "入社時" },
  }
  local measures = {}
  for _, r in ipairs(status_rows(ctx)) do
    if r.judgement ~= M.done_label then
      local ch = chapter_by_id[r.chapter_id]
      measures[#measures + 1] = {
        rank = #measures + 1, area = r.area, judgement = r.judgement,
        judgment = "【" .. r.judgement .. "】" .. gap_text(r) .. "。\n対策：" .. measure_text(r, ch and ch.title or r.chapter) .. "。",
        owner = owner_title(roles, r.owner or M.chapter_owner[r.chapter_id] or "ciso"),
        due = by(due_days(r.judgement) or 365),
      }
    end
  end
  return {
    title = "情報セキュリティ関連規程の運用計画",
    company = { name = (ctx.company or {}).name or "" },
    date = documents.wareki(documents.visit_date_or_today(ctx, 3)),
    expert = { name = (ctx.expert or {}).name or "" },
    summary = string.format("新しい基本方針と関連規程を、%sから順に承認・周知・教育・施行し、"
      .. "%sに点検、%sに見直す計画です。整備状況確認一覧表で優先度の高かった領域から対策を進めます。",
      on(0), on(d.inspect), on(d.review)),
    steps = steps,
    announce = announce,
    training = training,
    measures = measures,
    has_measures = #measures > 0,
    review = { date = on(d.review), who = role_title(roles, "committee"),
               what = "点検結果、事故や違反の記録、業務やITの変化を踏まえて基本方針と規程を見直し、改訂履歴に記録する" },
    roles = role_rows(roles),
  }
end

-- --- 自社診断結果報告 ---------------------------------------------------------

local function score_view(s, date)
  if not s then
    return { date = "", total = "", band = "", advice = "" }
  end
  return { date = documents.wareki(date), total = s.total, band = s.band, advice = s.band_advice }
end

local function signed(n)
  if n > 0 then
    return "+" .. n
  end
  return tostring(n)
end

-- Context (templates/policy/自社診断結果報告.docx): title, company.name, date,
-- expert.name, has_second, first/second { date, total, band, advice },
-- parts[] { name, max, first, second, diff }, changes[] { no, question,
-- first, second, change }, has_changes, weak[] { no, part, question, answer,
-- advice }, unknown[] { no, question }, has_unknown, comment[]
function M.selfdiag_context(ctx)
  local records = ctx.records or {}
  local s1 = selfdiag.score(records["self-diagnosis"])
  local second_rows = records["self-diagnosis-2"]
  local s2 = second_rows and #second_rows > 0 and selfdiag.score(second_rows) or nil
  local latest = s2 or s1
  local parts = {}
  for i, p in ipairs(s1.parts) do
    local q = s2 and s2.parts[i]
    parts[i] = { name = p.part, max = p.max, first = p.score, second = q and q.score or "",
                 diff = q and signed(q.score - p.score) or "" }
  end
  parts[#parts + 1] = { name = "合計", max = s1.max, first = s1.total, second = s2 and s2.total or "",
                        diff = s2 and signed(s2.total - s1.total) or "" }
  local changes = {}
  if s2 then
    for i, a in ipairs(s1.items) do
      local b = s2.items[i]
      if a.answer ~= b.answer then
        changes[#changes + 1] = {
          no = a.no, question = selfdiag.by_no[a.no].question, first = a.answer, second = b.answer,
          change = b.points > a.points and "改善" or (b.points < a.points and "後退" or "変更"),
        }
      end
    end
  end
  local weak = {}
  for _, w in ipairs(latest.weakest) do
    weak[#weak + 1] = { no = w.no, part = selfdiag.by_no[w.no].part, question = w.question,
                        answer = w.answer, advice = w.advice }
  end
  local unknown = {}
  for _, no in ipairs(latest.unknown) do
    unknown[#unknown + 1] = { no = no, question = selfdiag.by_no[no].question }
  end
  local comment = {}
  if s2 then
    local d = s2.total - s1.total
    comment[#comment + 1] = string.format("2回目の自社診断は%d点で、1回目の%d点から%s。", s2.total, s1.total,
      d > 0 and (d .. "点上がりました") or (d < 0 and (-d .. "点下がりました") or "変わりませんでした"))
    local better, worse = 0, 0
    for _, c in ipairs(changes) do
      if c.change == "改善" then
        better = better + 1
      elseif c.change == "後退" then
        worse = worse + 1
      end
    end
    if better > 0 then
      comment[#comment + 1] = string.format("規程の整備と並行して%d項目の回答が改善しました。", better)
    end
    if worse > 0 then
      comment[#comment + 1] = string.format("一方で%d項目は1回目より後退しています。"
        .. "対策が続かなくなったのか、答え方が変わったのかを確かめてください。", worse)
    end
  else
    comment[#comment + 1] = string.format("自社診断は%d点（%s）でした。規程の施行後に診断をやり直し、変化を確かめることをお勧めします。",
      s1.total, s1.band)
  end
  if #weak > 0 then
    comment[#comment + 1] = "下の改善項目は、新しい規程の該当する条文と合わせて、運用計画の中で順に取り組んでください。"
  end
  return {
    title = "自社診断結果報告",
    company = { name = (ctx.company or {}).name or "" },
    date = documents.wareki(documents.visit_date_or_today(ctx, 3)),
    expert = { name = (ctx.expert or {}).name or "" },
    has_second = s2 ~= nil,
    first = score_view(s1, visit_date(ctx, 1)),
    second = score_view(s2, documents.visit_date_or_today(ctx, 3)),
    parts = parts,
    changes = changes,
    has_changes = #changes > 0,
    weak = weak,
    unknown = unknown,
    has_unknown = #unknown > 0,
    comment = comment,
  }
end

-- --- The declarations --------------------------------------------------------

-- The self-diagnosis again, redone by the company before the third visit:
-- the same form under its own id, so that both answers are kept.
local second = {}
for k, v in pairs(selfdiag.sheet) do
  second[k] = v
end
second.id = "self-diagnosis-2"
second.file = "5分でできる情報セキュリティ自社診断_2回目.xlsx"
second.sheet = "自社診断（2回目）"
second.title = "5分でできる！情報セキュリティ自社診断（2回目）"
M.second_selfdiag = worksheet(second)

M.docs = {
  check = document {
    id = "regulation-check", title = "情報セキュリティ関連規程チェックシート",
    file = "情報セキュリティ関連規程チェックシート.xlsx", worksheet = "regulation-check",
    role = "pack", visits = { 1 },
  },
  roles = document {
    id = "regulation-roles", title = "体制・役割シート", file = "体制・役割シート.xlsx",
    worksheet = "regulation-roles", role = "pack", visits = { 1 },
  },
  commitments = document {
    id = "policy-commitments", title = "基本方針 検討シート", file = "基本方針検討シート.xlsx",
    worksheet = "policy-commitments", role = "pack", visits = { 2 },
  },
  policy = document {
    id = "basic-policy", title = "情報セキュリティ基本方針", file = "情報セキュリティ基本方針.docx",
    template = "policy/情報セキュリティ基本方針.docx", role = "report", visits = { 2 },
    requires = "held", needs = { "policy-commitments", "regulation-roles" },
    context = M.policy_context,
  },
  status = document {
    id = "regulation-status", title = "基本方針/関連規程の整備状況確認一覧表",
    file = "基本方針_関連規程の整備状況確認一覧表.xlsx", worksheet = "regulation-status",
    role = "report", visits = { 2 }, requires = "held", needs = { "regulation-check" },
  },
  regulations = document {
    id = "regulations", title = "情報セキュリティ関連規程（案）",
    file = "情報セキュリティ関連規程（案）.docx", template = "policy/情報セキュリティ関連規程（案）.docx",
    role = "pack", visits = { 3 }, needs = { "regulation-check", "regulation-roles" },
    context = M.regulations_context,
  },
  second_selfdiag = document {
    id = "self-diagnosis-2", title = "自社診断（2回目）", file = "5分でできる情報セキュリティ自社診断_2回目.xlsx",
    worksheet = "self-diagnosis-2", role = "pack", visits = { 3 },
  },
  plan = document {
    id = "operation-plan", title = "情報セキュリティ関連規程の運用計画", file = "運用計画.docx",
    template = "policy/運用計画.docx", role = "report", visits = { 3 }, requires = "held",
    needs = { "regulation-check", "regulation-roles" }, context = M.plan_context,
  },
  selfdiag_report = document {
    id = "self-diagnosis-report", title = "自社診断結果報告", file = "自社診断結果報告.docx",
    template = "policy/自社診断結果報告.docx", role = "report", visits = { 3 }, requires = "held",
    needs = { "self-diagnosis" }, context = M.selfdiag_context,
  },
}

return M
