-- Shared by every theme: goal 1 (the company's current risks, found with the
-- 25-question self-diagnosis) and the items every visit has in common.
local M = {}

M.goal1 = "現状における自社の情報セキュリティリスクの洗い出し"

M.selfdiag_tool = "5分でできる！情報セキュリティ自社診断（Excel版）"

-- Step 1, before the first visit: the company fills in the self-diagnosis.
function M.selfdiag_prep(id)
  return item {
    id = id,
    company = "「" .. M.selfdiag_tool .. "」の25問に回答し、訪問前に提出する",
    expert = "提出された自社診断を取り込み、点数と弱い分野を把握しておく",
    provided = { M.selfdiag_tool },
  }
end

-- Step 1, before the first visit: who attends, and the overall schedule.
-- `who` lists the attendees; `extra` (optional) adds to the visit length
-- note; `expert` (optional) replaces the expert's task.
function M.members(id, who, extra, expert)
  return item {
    id = id,
    company = "出席者（" .. who .. "）を決める（各回2時間程度×3回"
      .. (extra and ("、" .. extra) or "") .. "）",
    expert = expert or "指導の作業内容と全体スケジュール案を作り、初回訪問日を調整する",
    deliverables = { "全体スケジュール案" },
  }
end

-- Step 1, on site: the self-diagnosis result is explained and discussed.
function M.selfdiag_review(id, minutes)
  return item {
    id = id,
    company = "自社診断の結果を見ながら、自社の弱い分野と課題を話し合う",
    expert = "自社診断の点数と分野別の結果を説明し、改善が必要な領域の現状と要望を確認する",
    deliverables = { "自社診断結果のまとめ" },
    minutes = minutes,
  }
end

-- Step 1, on site: goals, schedule and deliverables are agreed.
function M.kickoff(id, minutes, provided)
  return item {
    id = id,
    company = "指導の目標・進め方・全体スケジュールを確認し、合意する",
    expert = "3回の訪問指導の目標、作業内容、全体スケジュール、成果物を説明する",
    provided = provided,
    minutes = minutes,
  }
end

-- Closing item of every visit: next steps and the report to the secretariat.
function M.wrapup(id, minutes)
  return item {
    id = id,
    company = "次回までの宿題と次回訪問日を確認する",
    expert = "次回までの依頼事項を伝え、次回の日程を調整する",
    minutes = minutes,
  }
end

function M.report(id)
  return item {
    id = id,
    expert = "訪問後、事務局に実施報告書を提出する",
    deliverables = { "実施報告書" },
  }
end

-- After the last visit: the company's survey and the expert's final report.
function M.final_report(id)
  return item {
    id = id,
    company = "指導についての評価コメント（アンケート）を事務局に提出する",
    expert = "指導結果をまとめて評価し、事務局に最終報告書を提出する",
    deliverables = { "最終報告書" },
  }
end

return M
