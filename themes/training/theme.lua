-- Theme 5: 従業員向け情報セキュリティ教育.
-- Syllabus in the shape of the programme's sample (図表 2-46), built on IPA's
-- education content: the 映像で知る情報セキュリティ videos, セキュリティプレゼンター
-- slides and the self-study ポイント学習.
local survey = require "survey"
local common = require "common"
local selfdiag = require "selfdiag"
local documents = require "documents"
local trainingdocs = require "trainingdocs"

local videos = "映像で知る情報セキュリティ（IPA）"
local slides = "セキュリティプレゼンター資料（IPA）"
local programs = "サンプル研修プログラム"
local selfstudy = "5分でできる！情報セキュリティポイント学習（IPA）"
local plan = "研修計画"
local test = "理解度テスト"
local review = "研修結果レビュー"
local eduplan = "年間教育計画（教育計画書）"
local lecture = "指導講習コンテンツ"

return theme {
  id = "training",
  number = 5,
  title = "従業員向け情報セキュリティ教育",
  base = "IPAの教育用コンテンツ（映像で知る情報セキュリティ、セキュリティプレゼンター資料等）",
  audience = "従業員のセキュリティへの意識が高くなく、パスワードの扱いやフィッシングへの備えが行き届いていない企業。"
    .. "ITに詳しい人とそうでない人の差が大きい企業や、IT以外の職種の従業員が多く、日々の基本的な対策が徹底できていない企業に向く。",
  effect = "教育プログラムを作り、定期的に見直して更新していく体制が整う。"
    .. "実際に従業員向けの研修を行うことで、社内全体の意識も高まる。",
  goals = {
    common.goal1,
    "サイバーセキュリティに関する従業員教育の実施",
    "教育実施結果のレビューと、以後の継続実施に向けた教育計画の策定",
  },
  steps = {
    step {
      title = "第1ステップ（指導申込み～第1回訪問）",
      aim = "自社診断で今のリスクを把握し、従業員の実態に合わせた研修計画を立てる",
      prep = {
        item {
          id = "s1.prep.materials",
          company = "提供できる社内資料（会社案内、組織図、従業員数と職種の構成、これまでの教育や注意喚起の実績など）を用意する",
          expert = "ホームページ等で企業と事業を調べ、業種で起こりやすい脅威を整理してヒアリングシートを作る",
          provided = { lecture },
        },
        common.selfdiag_prep("s1.prep.selfdiag"),
        item {
          id = "s1.prep.survey",
          company = "パスワードの使い回し、不審なメールを受けた経験、私物端末の業務利用などについて、従業員の実態を簡単な聞き取りで把握する",
          expert = "聞き取りの質問例を示し、結果のまとめ方を案内する",
        },
        common.members("s1.prep.members", "経営者、教育の担当者、各部署の代表など", "第2回は研修の受講者を含む"),
      },
      onsite = {
        common.kickoff("s1.onsite.kickoff", 20, { lecture, programs }),
        common.selfdiag_review("s1.onsite.selfdiag", 35),
        item {
          id = "s1.onsite.needs",
          company = "従業員のITへの習熟度の差、職種ごとの業務とよく起きるミス、教育に割ける時間を説明する",
          expert = "自社診断と聞き取りの結果から、研修で優先するテーマ（標的型攻撃メール、パスワード、情報の持ち出し、"
            .. "SNSの利用、メールの誤送信など）を提案する",
          minutes = 25,
        },
        item {
          id = "s1.onsite.plan",
          company = "研修の対象者、日時、所要時間、会場、形式（全員一度か、複数回に分けるか）を決める",
          expert = "IPAの映像教材とプレゼンター資料を基に、映像視聴→解説→演習→理解度テストという研修の組み立てを示し、研修計画にまとめる",
          provided = { videos, slides, programs },
          deliverables = { plan },
          minutes = 30,
        },
        item {
          id = "s1.onsite.requests",
          company = "受講者への案内と、会場・機材（プロジェクター、スピーカーなど）の準備を了解する",
          expert = "研修日となる次回の日程を決め、準備の分担を確認する",
          minutes = 10,
        },
      },
      after = { common.report("s1.after.report") },
    },
    step {
      title = "第2ステップ（第1回訪問～第2回訪問）",
      aim = "研修計画に沿って従業員研修を行い、理解度テストで効果を確かめる",
      prep = {
        item {
          id = "s2.prep.content",
          company = "研修で取り上げたい社内の実例（実際に届いた不審なメールなど、個人情報を伏せたもの）を提供する",
          expert = "使う映像を選び、プレゼンター資料に最新の事例や統計と自社の業務に即した例を加え、研修テーマに合った理解度テストを作る",
          provided = { videos, slides, programs },
          deliverables = { "研修資料", test },
        },
        item {
          id = "s2.prep.logistics",
          company = "受講者に案内し、会場と機材を準備する。欠席者が後日受講する方法を決めておく",
          expert = "研修資料を事前に送り、当日の進行を教育担当者と打ち合わせる",
        },
      },
      onsite = {
        item {
          id = "s2.onsite.opening",
          company = "経営者が研修の目的と、会社として情報セキュリティに取り組む姿勢を受講者に伝える",
          expert = "研修の流れと受講のポイントを説明する",
          minutes = 10,
        },
        item {
          id = "s2.onsite.video",
          company = "受講者が映像教材を視聴する",
          expert = "視聴の前に見どころを示し、視聴後に映像の場面を自社の業務に置き換えて解説する",
          provided = { videos },
          minutes = 25,
        },
        item {
          id = "s2.onsite.lecture",
          company = "受講者が自分の業務に当てはめて聞き、質問する",
          expert = "プレゼンター資料を使い、標的型攻撃メールの見分け方と報告先、パスワードの管理と多要素認証、情報の持ち出し、"
            .. "SNSの利用、メールの誤送信について脅威と対策を講義する",
          provided = { slides },
          minutes = 40,
        },
        item {
          id = "s2.onsite.exercise",
          company = "受講者が例題のメールを見て、不審な点を探す",
          expert = "演習を進め、見分けるポイントと、怪しいと思ったときに誰へ知らせるかを解説する",
          minutes = 15,
        },
        item {
          id = "s2.onsite.test",
          company = "受講者が理解度テストと受講後アンケートに回答する",
          expert = "テストを実施・回収し、その場で正解と要点を解説する",
          deliverables = { test .. "の回答", "受講後アンケート" },
          minutes = 20,
        },
        item {
          id = "s2.onsite.requests",
          company = "教育担当者が、テストとアンケートの集計、欠席者の受講を引き受ける",
          expert = "集計の方法を伝え、次回日程を調整する",
          minutes = 10,
        },
      },
      after = { common.report("s2.after.report") },
    },
    step {
      title = "第3ステップ（第2回訪問～第3回訪問）",
      aim = "研修の結果を振り返り、教育を続けていくための年間教育計画をまとめる",
      prep = {
        item {
          id = "s3.prep.results",
          company = "理解度テストとアンケートを集計し、欠席者の受講状況をまとめる",
          expert = "集計結果を分析し、理解が不十分なテーマや受講者層を整理して研修結果レビューの素案を作る",
        },
        item {
          id = "s3.prep.plan-draft",
          company = "年間の業務の繁閑と、教育に充てられる時間・予算を確認する",
          expert = "新入社員教育、年1回の全社研修、定期的な注意喚起、自習教材の活用などを組み合わせた年間教育計画の素案を作る",
          provided = { selfstudy },
        },
      },
      onsite = {
        item {
          id = "s3.onsite.results",
          company = "研修結果の説明を受け、受講者の反応や気付いた点を共有する",
          expert = "テスト結果から理解の浅い点を説明し、点数の低かった受講者へのフォロー（再受講、個別の説明、自習教材）を提案する",
          deliverables = { review },
          minutes = 30,
        },
        item {
          id = "s3.onsite.plan",
          company = "年間の教育テーマ、対象者、時期、方法、担当者を決める",
          expert = "IT以外の職種を含めて全員に届く方法、社内講師の育成、教材を最新の事例で更新すること、"
            .. "毎年計画を見直す仕組みを助言する",
          provided = { selfstudy, slides },
          deliverables = { eduplan },
          minutes = 45,
        },
        item {
          id = "s3.onsite.records",
          company = "受講者と理解度テストの結果を記録し、教育の実施状況を管理する方法を決める",
          expert = "受講記録の残し方と、その記録を次の計画の見直しに活かす方法を助言する",
          minutes = 15,
        },
        item {
          id = "s3.onsite.review",
          company = "成果物の説明を受け、内容に合意する",
          expert = "成果物をレビューし、合意を得る",
          deliverables = { plan, review, eduplan, "自社診断結果報告" },
          minutes = 30,
        },
      },
      after = { common.final_report("s3.after.final") },
    },
  },
  worksheets = {
    selfdiag.sheet, selfdiag.summary, selfdiag.summary_advice,
    trainingdocs.plan, trainingdocs.answers, trainingdocs.key, trainingdocs.question_results,
    trainingdocs.topic_results, trainingdocs.year,
    survey.company, survey.expert,
  },
  documents = {
    documents.visit_plan, documents.requests, documents.hearing, documents.self_diagnosis,
    trainingdocs.docs.plan_sheet, documents.visit_report, trainingdocs.docs.plan, trainingdocs.docs.test,
    trainingdocs.docs.key, trainingdocs.docs.answers, trainingdocs.docs.test2, trainingdocs.docs.key2,
    trainingdocs.docs.review, trainingdocs.docs.results, trainingdocs.docs.year, trainingdocs.docs.year_doc,
    documents.final_report, documents.schedule,
    survey.docs.company, survey.docs.company_early, survey.docs.expert,
  },
}
