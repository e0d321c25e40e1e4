-- A company's application to the programme and who may take part (the call
-- for participants, seed 003 「応募対象」): an SME by the programme's
-- definition (profile.lua's test), SECURITY ACTION declared (one star or
-- more), no basic security policy or regulations yet, not a participant of
-- an earlier year, and the terms agreed to. The engine asks this file; the
-- rules and their wording are not known to the C code.
local profile = require "profile"

local M = {}

-- The declarations of SECURITY ACTION that count (一つ星以上).
M.security_action = { "一つ星", "二つ星" }

local function declared(level)
  for _, l in ipairs(M.security_action) do
    if l == level then return true end
  end
  return false
end

-- The rules in the call's order: { id, rule, check(company, app) → ok,
-- reason }. `ok` is nil when what was recorded cannot tell.
M.rules = {
  { id = "sme", rule = "中小企業等であること（本事業の中小企業等の定義）",
    check = function(c)
      local v = profile.sme(c)
      return v.sme, (v.rule ~= "" and (v.rule .. "：") or "") .. v.reason
    end },
  { id = "security_action", rule = "SECURITY ACTION を宣言済みであること（一つ星以上）",
    check = function(c, a)
      local level = a.security_action or c.security_action
      if not level or level == "" then return nil, "宣言の有無が未記録" end
      return declared(level), declared(level) and (level .. "を宣言済み") or "宣言していない"
    end },
  { id = "no_policy", rule = "情報セキュリティ基本方針や関連規程が未整備であること",
    check = function(_, a)
      if a.has_policy == nil then return nil, "基本方針・規程の有無が未記録" end
      return not a.has_policy, a.has_policy and "基本方針・規程が整備済み" or "未整備"
    end },
  { id = "first_time", rule = "過去に本事業の指導に参加していないこと",
    check = function(_, a)
      if a.earlier == nil then return nil, "過去の参加の有無が未記録" end
      return not a.earlier, a.earlier and "過去に参加している" or "参加していない"
    end },
  { id = "consent", rule = "参加利用規約に同意していること",
    check = function(_, a)
      if a.consent == nil then return nil, "同意の有無が未記録" end
      return a.consent, a.consent and "同意済み" or "同意していない"
    end },
}

-- Whether input.company may take part, by its latest application
-- (input.application, nil when none was recorded): { eligible, applied,
-- checks = { { id, rule, ok, reason } }, failed = { the checks not held } }.
-- With an application, a rule that cannot tell fails (the secretariat
-- records what is missing); without one, only the profile's SME test is
-- applied, and only a clear "not an SME" fails.
function M.check(input)
  local c, a = input.company or {}, input.application
  local out = { applied = a ~= nil, checks = {}, failed = {} }
  for _, r in ipairs(M.rules) do
    local ok, reason
    if a or r.id == "sme" then
      ok, reason = r.check(c, a or {})
    else
      reason = "申込みが未記録"
    end
    local held = ok == true or (not a and ok == nil)
    local entry = { id = r.id, rule = r.rule, ok = ok, reason = reason }
    out.checks[#out.checks + 1] = entry
    if not held then out.failed[#out.failed + 1] = entry end
  end
  out.eligible = #out.failed == 0
  return out
end

return M
