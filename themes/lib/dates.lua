-- How a date is printed in every document and worksheet: the Japanese era
-- with the Western date beside it, 「令和8年12月2日（2026年12月2日）」, never
-- an ISO date alone. The engine hands dates over as YYYY-MM-DD strings
-- (docs/documents.md); this is the one place that turns them into text.
local M = {}

-- The eras, newest first: each from its first day, with the Western year
-- before its year 1. A date before the oldest is printed in Western form only.
M.eras = {
  { from = "2019-05-01", name = "令和", offset = 2018 },
  { from = "1989-01-08", name = "平成", offset = 1988 },
  { from = "1926-12-25", name = "昭和", offset = 1925 },
}

-- "2026-12-02" → 2026, 12, 2; nil for anything else.
function M.parse(date)
  if type(date) ~= "string" then
    return nil
  end
  local y, m, d = date:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then
    return nil
  end
  return tonumber(y), tonumber(m), tonumber(d)
end

-- The era of `date` and its year in it ("元" for the first): "令和", "8";
-- nil before the oldest era.
local function era_year(date, y)
  for _, e in ipairs(M.eras) do
    if date >= e.from then
      local n = y - e.offset
      return e.name, n == 1 and "元" or tostring(n)
    end
  end
  return nil
end

-- "2026-12-02" → "令和8年12月2日" (the era alone: for a text that names the
-- Western date elsewhere). Anything that is not a date is returned as it is
-- ("" for nil).
function M.era(date)
  local y, m, d = M.parse(date)
  if not y then
    return date == nil and "" or tostring(date)
  end
  local name, n = era_year(date, y)
  if not name then
    return string.format("%d年%d月%d日", y, m, d)
  end
  return string.format("%s%s年%d月%d日", name, n, m, d)
end

-- "2026-12-02" → "2026年12月2日".
function M.western(date)
  local y, m, d = M.parse(date)
  if not y then
    return date == nil and "" or tostring(date)
  end
  return string.format("%d年%d月%d日", y, m, d)
end

-- "2026-12-02" → "令和8年12月2日（2026年12月2日）": how every date is
-- printed. Anything that is not a date is returned as it is ("" for nil).
function M.text(date)
  local y = M.parse(date)
  if not y then
    return date == nil and "" or tostring(date)
  end
  if not era_year(date, y) then
    return M.western(date)
  end
  return M.era(date) .. "（" .. M.western(date) .. "）"
end

-- "2027-03-01" → "令和9年3月（2027年3月）": a month, for a review due then.
function M.month(date)
  local y, m = M.parse(date)
  if not y then
    return date == nil and "" or tostring(date)
  end
  local name, n = era_year(date, y)
  local western = string.format("%d年%d月", y, m)
  return name and string.format("%s%s年%d月（%s）", name, n, m, western) or western
end

-- Fiscal year 2025 (April 2025 to March 2026) → "令和7年度（2025年度）": the
-- era of its first day.
function M.fiscal_year(fy)
  local first = string.format("%04d-04-01", fy)
  local name, n = era_year(first, fy)
  local western = string.format("%d年度", fy)
  return name and string.format("%s%s年度（%s）", name, n, western) or western
end

-- A worksheet's header field with the day the sheet was made (the
-- document's date when it belongs to a visit pack, else today), printed
-- as every date is.
function M.field(label)
  return {
    label = label or "作成日",
    value = function(ctx) return M.text(ctx.date or ctx.today) end,
  }
end

return M
