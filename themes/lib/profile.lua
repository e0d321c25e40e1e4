-- The company profile: the choices offered when a company is registered and
-- the SME test of the programme (中小企業等の定義, seed 003). The engine asks
-- this file; nothing here is known to the C code.

local M = {}

-- SME size classes: capital limit (yen, nil when capital does not count) and
-- employee limit (常時使用する従業員).
local classes = {
  manufacturing = { label = "①製造業、建設業、運輸業", capital = 300000000, employees = 300 },
  wholesale     = { label = "②卸売業", capital = 100000000, employees = 100 },
  services      = { label = "③サービス業", capital = 50000000, employees = 100 },
  retail        = { label = "④小売業", capital = 50000000, employees = 50 },
  rubber        = { label = "⑤ゴム製品製造業", capital = 300000000, employees = 900 },
  software      = { label = "⑥ソフトウェア業又は情報処理サービス業", capital = 300000000, employees = 300 },
  inn           = { label = "⑦旅館業", capital = 50000000, employees = 200 },
  other         = { label = "⑧その他の業種", capital = 300000000, employees = 300 },
}

-- Industries: the JSIC major divisions used in the programme's reports, with
-- 製造業（自動車産業） on its own, and the divisions whose SME class depends
-- on the business split where the SME table splits them. `division`: where
-- the programme's report counts such a split one (the JSIC division).
M.industries = {
  { name = "農業、林業", class = "other" },
  { name = "漁業", class = "other" },
  { name = "鉱業、採石業、砂利採取業", class = "other" },
  { name = "建設業", class = "manufacturing" },
  { name = "製造業", class = "manufacturing" },
  { name = "製造業（自動車産業）", class = "manufacturing" },
  { name = "製造業（ゴム製品）", class = "rubber", division = "製造業" },
  { name = "電気・ガス・熱供給・水道業", class = "other" },
  { name = "情報通信業", class = "software" },
  { name = "運輸業、郵便業", class = "manufacturing" },
  { name = "卸売業", class = "wholesale", division = "卸売業、小売業" },
  { name = "小売業", class = "retail", division = "卸売業、小売業" },
  { name = "金融業、保険業", class = "other" },
  { name = "不動産業、物品賃貸業", class = "services" },
  { name = "学術研究、専門・技術サービス業", class = "services" },
  { name = "宿泊業", class = "inn" },
  { name = "飲食サービス業", class = "retail" },
  { name = "生活関連サービス業、娯楽業", class = "services" },
  { name = "教育、学習支援業", class = "services" },
  { name = "医療、福祉", class = "services" },
  { name = "複合サービス事業", class = "services" },
  { name = "サービス業（他に分類されないもの）", class = "services" },
}

-- Kinds of organisation. `rule` decides how the SME test reads the table:
-- "company" uses capital or employees of the industry class; "employees"
-- uses a fixed employee limit; "industry_employees" uses the employee limit
-- of the industry class only.
M.kinds = {
  { name = "会社", rule = "company" },
  { name = "個人事業主", rule = "company" },
  { name = "医療法人", rule = "employees", employees = 300, label = "⑨医療法人、社会福祉法人" },
  { name = "社会福祉法人", rule = "employees", employees = 300, label = "⑨医療法人、社会福祉法人" },
  { name = "学校法人", rule = "employees", employees = 300, label = "⑩学校法人" },
  { name = "商工会・商工会議所", rule = "employees", employees = 100,
    label = "⑪商工会・都道府県商工会連合会及び商工会議所" },
  { name = "中小企業団体", rule = "industry_employees", label = "⑫中小企業団体" },
  { name = "組合", rule = "industry_employees", label = "⑬特別の法律によって設立された組合又はその連合会" },
  { name = "財団法人・社団法人", rule = "industry_employees", label = "⑭財団法人、社団法人" },
  { name = "特定非営利活動法人", rule = "industry_employees", label = "⑮特定非営利活動法人" },
}

M.staffing = { "専任", "兼任", "なし" }

M.security_action = { "なし", "一つ星", "二つ星" }

M.prefectures = {
  "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
  "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
  "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
  "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
  "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
  "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
  "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
}

local function find(list, name)
  for _, e in ipairs(list) do
    if e.name == name then return e end
  end
end

local function yen(n)
  if n >= 100000000 and n % 100000000 == 0 then return (n // 100000000) .. "億円" end
  if n >= 10000 and n % 10000 == 0 then return (n // 10000) .. "万円" end
  return n .. "円"
end

-- The SME test. `c` has industry, kind, employees and capital (either may be
-- nil when unknown). Returns { sme = true/false/nil, rule = "…", reason = "…" };
-- sme is nil when the data given cannot decide.
function M.sme(c)
  local industry = find(M.industries, c.industry)
  local kind = find(M.kinds, c.kind or "会社")
  if not industry or not kind then
    return { rule = "", reason = "業種または組織の種類が不明なため判定できない" }
  end
  local class = classes[industry.class]
  local emp, cap = c.employees, c.capital
  if kind.rule == "employees" or kind.rule == "industry_employees" then
    local limit = kind.employees or class.employees
    local rule = kind.label .. "：従業員" .. limit .. "人以下"
    if kind.rule == "industry_employees" then
      rule = kind.label .. "（主たる業種 " .. class.label .. "）：従業員" .. limit .. "人以下"
    end
    if emp == nil then
      return { rule = rule, reason = "従業員数が未登録のため判定できない" }
    end
    return { sme = emp <= limit, rule = rule,
             reason = "従業員" .. emp .. "人" .. (emp <= limit and "≦" or "＞") .. limit .. "人" }
  end
  local rule = class.label .. "：資本金" .. yen(class.capital) .. "以下 又は 従業員"
    .. class.employees .. "人以下"
  if cap ~= nil and cap <= class.capital then
    return { sme = true, rule = rule, reason = "資本金" .. yen(cap) .. "≦" .. yen(class.capital) }
  end
  if emp ~= nil and emp <= class.employees then
    return { sme = true, rule = rule, reason = "従業員" .. emp .. "人≦" .. class.employees .. "人" }
  end
  if cap == nil or emp == nil then
    return { rule = rule, reason = "資本金または従業員数が未登録のため判定できない" }
  end
  return { sme = false, rule = rule,
           reason = "資本金" .. yen(cap) .. "＞" .. yen(class.capital) .. " かつ 従業員"
             .. emp .. "人＞" .. class.employees .. "人" }
end

-- How an organisation speaks of itself in its own regulations and policy,
-- from its kind and industry: a company is 当社 and acts 全社を挙げて; a
-- medical or other corporation is 当法人, a professional office (士業: an
-- individual or firm in 専門・技術サービス業 that is not a company) is
-- 当事務所. `shop` is whether it plausibly runs an online shop (retail and
-- wholesale), which decides whether ネットショップ rules are written.
-- Returns { self, effort, wide, shop }: the word for itself, the phrase for
-- "with the whole organisation", the adverb for "organisation-wide" ("" when
-- it would only repeat the word), and the flag.
local shop_industries = { ["小売業"] = true, ["卸売業"] = true }

function M.organisation(c)
  c = c or {}
  local kind = c.kind or "会社"
  local shop = shop_industries[c.industry] == true
  if kind == "会社" then
    return { self = "当社", effort = "全社を挙げて", wide = "全社的に", shop = shop }
  end
  if c.industry == "学術研究、専門・技術サービス業" and (kind == "個人事業主" or kind == "組合") then
    return { self = "当事務所", effort = "事務所を挙げて", wide = "", shop = false }
  end
  if kind == "個人事業主" then
    return { self = "当事業所", effort = "事業所を挙げて", wide = "", shop = shop }
  end
  if kind == "商工会・商工会議所" or kind == "中小企業団体" or kind == "組合" then
    return { self = "当会", effort = "会を挙げて", wide = "", shop = false }
  end
  return { self = "当法人", effort = "法人を挙げて", wide = "", shop = false }
end

return M
