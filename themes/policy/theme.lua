-- Theme 1: 情報セキュリティ規程の整備.
-- Syllabus after the programme's sample (図表 2-46), based on the guideline's
-- 付録2 (basic policy sample) and 付録5 (related regulations sample).
local survey = require "survey"
local common = require "common"
local selfdiag = require "selfdiag"
local documents = require "documents"
local regdocs = require "regdocs"

local checksheet = "情報セキュリティ関連規程チェックシート"
local policy_sheet = "基本方針 検討シート"
local samples = "サンプル基本方針／関連規程"
local lecture = "指導講習コンテンツ"

return theme {
  id = "policy",
  number = 1,
  title = "情報セキュリティ規程の整備",
  base = "ガイドライン付録2「情報セキュリティ基本方針（サンプル）」・付録5「情報セキュリティ関連規程（サンプル）」",
  audience = "サイバー攻撃の増加や法令遵守の要請に直面しながら、情報セキュリティ規程が整っていない企業。"
    .. "従業員が様々なITツールを業務で使っているのに、拠り所となるルールがなく、責任の範囲があいまいな企業に向く。",
  effect = "足りなかった規程が整い、社内での運用と周知の方法まで決まることで、"
    .. "自社の情報セキュリティ体制を自ら継続して改善できるようになる。",
  goals = {
    common.goal1,
    "情報セキュリティ基本方針の作成及び既存規程のチェック",
    "情報セキュリティ関連規程（案）の策定",
  },
  steps = {
    step {
      title = "第1ステップ（指導申込み～第1回訪問）",
      aim = "チェックシートを使い、今ある情報セキュリティ規程を自己評価する",
      prep = {
        item {
          id = "s1.prep.materials",
          company = "提供できる社内資料（会社案内、組織図、既存の規程類など）を用意する",
          expert = "ホームページ等で企業と事業を調べ、ヒアリングシートを作る",
          provided = { lecture },
        },
        common.selfdiag_prep("s1.prep.selfdiag"),
        item {
          id = "s1.prep.checksheet",
          -- (the roles sheet is named here but not among the materials
          -- handed over: one more line there pushes the requests onto a
          -- second page)
          company = "チェックシートで今ある規程を自己評価し、体制・役割シートに担当者を記入する",
          expert = "チェックシートと体制・役割シートの記入を依頼し、記入方法を案内する",
          provided = { checksheet },
        },
        common.members("s1.prep.members", "経営者・管理者・担当者など"),
      },
      onsite = {
        common.kickoff("s1.onsite.kickoff", 20, { lecture, samples }),
        common.selfdiag_review("s1.onsite.selfdiag", 40),
        item {
          id = "s1.onsite.checksheet",
          company = "規程チェックシートの結果と自社の課題認識について話し合う",
          expert = "チェックシートの結果から分かる要改善点と、今後の作業の進め方を説明する",
          deliverables = { checksheet .. "（途中版）" },
          minutes = 40,
        },
        item {
          id = "s1.onsite.requests",
          company = "追加で求められた情報の提供を了解する",
          expert = "業務・データベース・ネットワーク等のIT環境について追加情報を依頼し、次回日程を調整する",
          minutes = 20,
        },
      },
      after = { common.report("s1.after.report") },
    },
    step {
      title = "第2ステップ（第1回訪問～第2回訪問）",
      aim = "基本方針を作り、既存規程を点検して、重点的に整える領域を決める",
      prep = {
        item {
          id = "s2.prep.info",
          company = "依頼された追加情報を準備する",
          expert = "前回得た情報を整理・分析し、理解に食い違いがないか訪問時に確かめる点をまとめる",
        },
        item {
          id = "s2.prep.policy-draft",
          company = "「" .. policy_sheet .. "」で、情報セキュリティ基本方針に盛り込む事項を検討する",
          expert = "関連規程の整備状況を確認し、重点改善領域の候補を見極めて第2回の資料を作る",
          provided = { samples, policy_sheet },
        },
      },
      onsite = {
        item {
          id = "s2.onsite.info",
          company = "準備した追加情報を提供し、説明する",
          expert = "提供された情報を確認し、質疑応答を行う",
          minutes = 20,
        },
        item {
          id = "s2.onsite.policy",
          company = "基本方針・関連規程の有無と作成状況を説明し、基本方針案を示す",
          expert = "基本方針・関連規程の整備状況を確認し、基本方針の作成を指導する",
          deliverables = { "情報セキュリティ基本方針", "基本方針/関連規程の整備状況確認一覧表" },
          minutes = 45,
        },
        item {
          id = "s2.onsite.priorities",
          company = "対策の有用性と優先順位について話し合う",
          expert = "重点改善領域を説明し、緊急度・重要度・難易度で絞り込む。"
            .. "規程の適用範囲、文書体系の考え方、既存文書との整合と流用の考え方を助言する",
          deliverables = { checksheet },
          minutes = 40,
        },
        item {
          id = "s2.onsite.requests",
          company = "改善策の検討に必要な追加情報の提供を了解する",
          expert = "改善領域の対策検討に必要な追加情報を依頼し、次回日程を調整する",
          minutes = 15,
        },
      },
      after = { common.report("s2.after.report") },
    },
    step {
      title = "第3ステップ（第2回訪問～第3回訪問）",
      aim = "関連規程（案）をまとめ、運用と周知の方法と対策の実行計画を決める",
      prep = {
        item {
          id = "s3.prep.feasibility",
          company = "急ぐ改善策について、実現するための課題と対策を検討しておく",
          expert = "前回の結果を整理し、絞り込んだ対策の実施計画案を作る",
        },
        item {
          id = "s3.prep.rollout",
          company = "新しい規程の社内周知を含む運用手順案を作る",
          expert = "運用手順案に随時助言する",
          provided = { samples },
        },
      },
      onsite = {
        item {
          id = "s3.onsite.measures",
          company = "経営施策を説明し、情報セキュリティ対策の必要性を理解する",
          expert = "新しい規程に基づいて今後必要になる情報セキュリティ対策を説明する",
          provided = { lecture },
          minutes = 30,
        },
        item {
          id = "s3.onsite.plan",
          company = "提示された対策案の実現性を、必要な人・物・金の面から検討する",
          expert = "優先して進める対策とスケジュール案を示して話し合い、運用ルールを検討する。"
            .. "前回確認した規程の整備状況に見直しが要らないか改めて確かめる",
          deliverables = { "対策実行計画" },
          minutes = 50,
        },
        item {
          id = "s3.onsite.review",
          company = "成果物の説明を受け、内容に合意する",
          expert = "成果物をレビューし、合意を得る",
          deliverables = {
            "基本方針/関連規程の点検結果及び新たに策定した基本方針",
            "情報セキュリティ関連規程（案）",
            "自社診断結果報告",
          },
          minutes = 40,
        },
      },
      after = { common.final_report("s3.after.final") },
    },
  },
  -- Industry variants adjust the regulation set's chapters and wording; the
  -- compact edition is for companies of 20 or fewer employees. Chosen from
  -- the company's profile unless `bansou engagement variant` says otherwise.
  variants = {
    { id = "automotive", title = "自動車産業向け", industries = { "製造業（自動車産業）" } },
    { id = "medical", title = "医療・福祉向け", industries = { "医療、福祉" } },
    { id = "professional", title = "士業向け", industries = { "学術研究、専門・技術サービス業" } },
    { id = "compact", title = "小規模企業向け簡易版", max_employees = 20 },
  },
  worksheets = {
    selfdiag.sheet, selfdiag.summary, selfdiag.summary_advice,
    regdocs.check, regdocs.roles, regdocs.commitments, regdocs.status, regdocs.second_selfdiag,
    survey.company, survey.expert,
  },
  documents = {
    documents.visit_plan, documents.requests, documents.hearing, documents.self_diagnosis,
    regdocs.docs.check, regdocs.docs.roles, regdocs.docs.commitments,
    documents.visit_report, regdocs.docs.policy, regdocs.docs.status,
    regdocs.docs.regulations, regdocs.docs.second_selfdiag,
    regdocs.docs.plan, regdocs.docs.selfdiag_report,
    documents.final_report, documents.schedule,
    survey.docs.company, survey.docs.company_early, survey.docs.expert,
  },
}
