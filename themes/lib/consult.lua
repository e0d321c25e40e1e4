-- Consultation sessions (サイバーセキュリティ相談会, seed 001 §2.1): a talk and
-- the programme's introduction, then individual consultations of 20 minutes
-- in rounds at the venue's booths, one expert a booth. The expert records
-- each consultation (the company's questions, the advice, whether it wishes
-- to go on to guidance, on which theme and when); it ends in an engagement
-- or in a decline, whose reasons are those the programme counted (図表 2-66).
-- Also the two printed documents: the session's timetable and the record of
-- one consultation. The engine asks this file; nothing here is known to C.
local pool = require "pool"
local dates = require "dates"

local M = {}

-- The rounds of the day's programme (図表 2-2): 14:50, 15:15 and 15:40, twenty
-- minutes each with a short break between; three or four booths a venue.
M.rounds = { "14:50-15:10", "15:15-15:35", "15:40-16:00" }
M.booths = 4

-- Why a consultation did not go on to guidance (図表 2-66). `detail` says
-- whether the reason needs a sentence of its own.
M.decline_reasons = {
  { id = "resolved", no = 1, text = "相談ごとを、個別相談で解消できた" },
  { id = "schedule", no = 2, text = "社内のスケジュールとの競合" },
  { id = "visit", no = 3, text = "現状、訪問支援を求めている" },
  { id = "other", no = 4, text = "その他", detail = true },
}

-- The chamber of a region, when the secretariat gave none.
function M.chamber(region)
  for _, r in ipairs(pool.regions) do
    if r.name == region then return r.chamber end
  end
  return nil
end

local function region_names()
  local out = {}
  for _, r in ipairs(pool.regions) do out[#out + 1] = r.name end
  return out
end

-- What is wrong with a new session: { message, … } (empty when none).
-- input = { region, rounds = { "HH:MM-HH:MM", … } }.
function M.check_session(input)
  local problems = {}
  local known = false
  for _, n in ipairs(region_names()) do known = known or n == input.region end
  if not known then
    problems[#problems + 1] = string.format("--region: 「%s」は事業の地域（%s）ではありません",
      tostring(input.region), table.concat(region_names(), "、"))
  end
  local last
  for i, r in ipairs(input.rounds or {}) do
    local h1, m1, h2, m2 = r:match("^(%d%d):(%d%d)%-(%d%d):(%d%d)$")
    local from = h1 and tonumber(h1) * 60 + tonumber(m1)
    local to = h2 and tonumber(h2) * 60 + tonumber(m2)
    if not from or tonumber(h1) > 23 or tonumber(m1) > 59 or tonumber(h2) > 23
        or tonumber(m2) > 59 or to <= from then
      problems[#problems + 1] = string.format("--rounds: %d番目の「%s」は「14:50-15:10」の形の時間帯ではありません", i, r)
    elseif last and from < last then
      problems[#problems + 1] = string.format("--rounds: %d番目の「%s」が前の時間帯と重なっています", i, r)
    else
      last = to
    end
  end
  if #(input.rounds or {}) == 0 then
    problems[#problems + 1] = "--rounds: 個別相談の時間帯がありません"
  end
  return problems
end

local function reason_of(id)
  for _, r in ipairs(M.decline_reasons) do
    if r.id == id then return r end
  end
end

-- What is wrong with a decline: nil, or the message.
function M.check_decline(input)
  local r = reason_of(input.reason)
  if not r then
    local ids = {}
    for _, x in ipairs(M.decline_reasons) do ids[#ids + 1] = x.id .. "（" .. x.text .. "）" end
    return string.format("--reason: 「%s」は次のいずれでもありません: %s", tostring(input.reason),
                         table.concat(ids, "、"))
  end
  if r.detail and (input.detail == nil or input.detail == "") then
    return "--reason " .. r.id .. "（" .. r.text .. "）には --detail で内容を記入してください"
  end
  return nil
end

-- --- The documents -------------------------------------------------------------

local function theme_title(themes, id)
  if not id then return nil end
  for _, t in ipairs(themes or {}) do
    if t.id == id then return t.title end
  end
  return id
end

-- The timetable (相談会タイムテーブル): input = { session = { held_on, region,
-- venue, chamber, rounds, booths = { … }, consultations = { … } }, today }.
function M.timetable(input)
  local s = input.session
  local experts, booked = {}, {}
  for _, b in ipairs(s.booths or {}) do experts[b.booth] = b.expert_name end
  for _, k in ipairs(s.consultations or {}) do booked[k.round .. "/" .. k.booth] = k end
  local nbooths = 0
  for b in pairs(experts) do nbooths = math.max(nbooths, b) end
  local booths = {}
  for b = 1, nbooths do
    booths[#booths + 1] = { booth = "相談ブース" .. b, expert = experts[b] or "（未定）" }
  end
  local rows = {}
  for i, r in ipairs(s.rounds or {}) do
    for b = 1, nbooths do
      local k = booked[i .. "/" .. b]
      rows[#rows + 1] = {
        round = b == 1 and string.format("%d回目 %s", i, r:gsub("%-", "〜")) or "",
        booth = "ブース" .. b,
        expert = experts[b] or "（未定）",
        company = k and k.company_name or "（空き）",
        asked = k and k.asked or "",
      }
    end
  end
  local n = 0
  for _ in pairs(booked) do n = n + 1 end
  return {
    file = "相談会タイムテーブル.docx",
    title = "サイバーセキュリティ相談会 個別相談タイムテーブル",
    session = {
      date = dates.text(s.held_on),
      region = s.region,
      venue = s.venue,
      chamber = s.chamber or "",
      counts = string.format("相談ブース%d・%d回（%d枠、予約%d件）", nbooths, #(s.rounds or {}),
                             nbooths * #(s.rounds or {}), n),
    },
    booths = booths,
    rows = rows,
    minutes = "1回20分。事前に伺った相談内容をもとに、専門家の割り振りを事務局で行っています。",
    today = dates.text(input.today),
  }
end

-- The record of one consultation (個別相談記録): input = { consultation,
-- themes = { { id, title } }, today }.
function M.record(input)
  local k = input.consultation
  local outcome, reason = "未定（記録待ち）", ""
  if k.outcome == "engaged" then
    outcome = "マネジメント指導へ移行"
    reason = k.engagement_id and string.format("指導 %d として開始", k.engagement_id) or ""
  elseif k.outcome == "declined" then
    local r = reason_of(k.decline_reason)
    outcome = "マネジメント指導へ移行しない"
    reason = r and (r.no .. ". " .. r.text) or ""
    if k.decline_detail and k.decline_detail ~= "" then reason = reason .. "（" .. k.decline_detail .. "）" end
  end
  local wish = "未記録"
  if k.wish == true then wish = "希望する" elseif k.wish == false then wish = "希望しない" end
  local function or_dash(s) return (s and s ~= "") and s or "—" end
  local round = (k.round and input.rounds and input.rounds[k.round]) or ""
  return {
    file = string.format("個別相談記録_%03d_%s.docx", k.id, k.company_name),
    title = "サイバーセキュリティ相談会 個別相談記録",
    session = { date = dates.text(k.held_on), region = k.region, venue = k.venue,
                slot = string.format("%d回目 %s・ブース%d", k.round, round:gsub("%-", "〜"), k.booth) },
    company = { name = k.company_name },
    expert = { name = k.expert_name },
    asked = or_dash(k.asked),
    topics = or_dash(k.topics),
    advice = or_dash(k.advice),
    wish = wish,
    wished_theme = or_dash(theme_title(input.themes, k.wished_theme)),
    proposed_theme = or_dash(theme_title(input.themes, k.proposed_theme)),
    wished_dates = or_dash(k.wished_dates),
    outcome = outcome,
    reason = or_dash(reason),
    today = dates.text(input.today),
  }
end

M.templates = { timetable = "common/相談会タイムテーブル.docx", record = "common/個別相談記録.docx" }

return M
