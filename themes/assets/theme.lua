-- Theme 2: 情報資産の洗い出しとリスク分析.
-- Syllabus in the shape of the programme's sample (図表 2-46), based on the
-- guideline's 付録7 (risk analysis sheet: 情報資産管理台帳, 脅威の状況,
-- 対策状況チェック, 診断結果).
local survey = require "survey"
local common = require "common"
local selfdiag = require "selfdiag"
local documents = require "documents"
local assetdocs = require "assetdocs"

local ledger = "情報資産管理台帳"
local sheet = "リスク分析シート"
local result = "リスク分析結果報告書"
local samples = "業種別情報資産サンプル"
local guide = "リスク分析シート カスタマイズガイド"
local progress = "進捗管理表"
local lecture = "指導講習コンテンツ"

return theme {
  id = "assets",
  number = 2,
  title = "情報資産の洗い出しとリスク分析",
  base = "ガイドライン付録7「リスク分析シート」",
  audience = "デジタル化で扱う情報は増えたものの、どの情報が大切で、どこに危険が潜んでいるのかをつかめていない企業。"
    .. "とりわけ、顧客の情報や図面・製造ノウハウなどの技術情報を数多く抱える製造業やサービス業に向く。",
  effect = "社内の情報資産が一覧になり、リスク分析シートとして形になることで、自社で更新し続けられるようになる。"
    .. "分析の結果は、どのリスクをどう下げるかを検討するときの材料にもなる。",
  goals = {
    common.goal1,
    "自社における情報資産の洗い出し",
    "抽出した情報資産リストに対するリスク分析の実施",
  },
  steps = {
    step {
      title = "第1ステップ（指導申込み～第1回訪問）",
      aim = "自社診断で今のリスクを把握し、情報資産管理台帳の書き方を身につけて洗い出しを始める",
      prep = {
        item {
          id = "s1.prep.materials",
          company = "提供できる社内資料（会社案内、組織図、業務の流れが分かる資料、既存の管理表や規程類など）を用意する",
          expert = "ホームページ等で企業と事業を調べ、業種に近い情報資産サンプルを選んでヒアリングシートを作る",
          provided = { lecture },
        },
        common.selfdiag_prep("s1.prep.selfdiag"),
        item {
          id = "s1.prep.departments",
          company = "情報を作ったり使ったりしている部署・業務を一覧にし、部署ごとに洗い出しの担当者を決める",
          expert = "部署単位で洗い出しを進めるやり方と、担当者に声をかける際の説明の仕方を案内する",
        },
        common.members("s1.prep.members", "経営者、各部署の責任者、IT担当者など", nil, "指導の作業内容と全体スケジュール案を作り、進捗管理表を用意して初回訪問日を調整する"),
      },
      onsite = {
        common.kickoff("s1.onsite.kickoff", 20, { lecture, progress }),
        common.selfdiag_review("s1.onsite.selfdiag", 35),
        item {
          id = "s1.onsite.method",
          company = "情報資産の考え方と台帳の書き方について説明を受け、自社の業務に当てはめて質問する",
          expert = "業種別サンプルを示しながら、台帳の各欄（業務分類、情報資産名称、利用者範囲、管理部署、媒体・保存先、"
            .. "個人情報の種類、機密性・完全性・可用性の評価値、保存期限）の書き方を説明する。"
            .. "紙と電子データ、保存先が違えば行を分けること、扱いと重要度が同じ資産は1行にまとめてよいことを伝える",
          provided = { ledger, samples },
          minutes = 25,
        },
        item {
          id = "s1.onsite.trial",
          company = "代表的な業務を一つ選び、専門家と一緒に台帳へ数行を書き込んでみる",
          expert = "記入を見ながら、資産のまとめ方の粒度と、評価値（3〜1）を基準に照らして付ける方法を指導する",
          deliverables = { ledger .. "（記入例）" },
          minutes = 30,
        },
        item {
          id = "s1.onsite.requests",
          company = "次回までに全部署の情報資産を台帳に書き込み、訪問前に提出することを了解する",
          expert = "台帳の提出期限と途中の質問の受け方を決め、進捗管理表で分担を確認して次回日程を調整する",
          minutes = 10,
        },
      },
      after = { common.report("s1.after.report") },
    },
    step {
      title = "第2ステップ（第1回訪問～第2回訪問）",
      aim = "全社の情報資産を台帳にまとめ、評価値と重要度を確定する",
      prep = {
        item {
          id = "s2.prep.ledger",
          company = "各部署の担当者が台帳に記入し、取りまとめて提出する",
          expert = "提出された台帳を取り込み、記入漏れ・重複・粒度のばらつき・評価値の偏りを点検して指摘事項をまとめる",
          provided = { ledger, samples, progress },
        },
        item {
          id = "s2.prep.customise",
          company = "社内の保存先（社内サーバ、事務所PC、クラウド、書庫、USBメモリなどの可搬媒体）を一覧にする",
          expert = "カスタマイズガイドに沿って、業務分類や媒体・保存先の区分を企業の規模と業種に合わせる案を作る",
          provided = { guide },
        },
      },
      onsite = {
        item {
          id = "s2.onsite.import",
          company = "台帳の記入内容と、記入で迷った点を説明する",
          expert = "取り込んだ台帳を画面で共有し、部署ごとの記入状況と指摘事項を確認する",
          minutes = 20,
        },
        item {
          id = "s2.onsite.gaps",
          company = "指摘された漏れ（クラウド上のデータ、委託先に預けている情報、紙の書類など）を台帳に追記する",
          expert = "業種別サンプルと突き合わせ、見落としやすい資産について質問して洗い出しを補う",
          provided = { samples },
          minutes = 30,
        },
        item {
          id = "s2.onsite.rating",
          company = "機密性・完全性・可用性の評価値を見直し、各資産の重要度に合意する",
          expert = "評価基準に照らして評価値を確かめ、重要度は3つの評価値の最大値とすること、"
            .. "個人情報を含む資産や事故が会社の存続に関わる資産は重要度を3とすることを説明する",
          deliverables = { ledger .. "（確定版）" },
          minutes = 45,
        },
        item {
          id = "s2.onsite.requests",
          company = "次回に向けて、リスク分析シートの「脅威と対策の状況」に回答する分担を決める",
          expert = "リスク分析シートの構成（脅威と対策の状況、リスク分析、リスク集計、対策計画）と入力方法を説明し、"
            .. "事前の回答を依頼して次回日程を調整する",
          provided = { sheet },
          minutes = 25,
        },
      },
      after = { common.report("s2.after.report") },
    },
    step {
      title = "第3ステップ（第2回訪問～第3回訪問）",
      aim = "リスク分析シートでリスク値を求め、対策の優先順位と台帳を維持する方法を決める",
      prep = {
        item {
          id = "s3.prep.checks",
          company = "リスク分析シートの「脅威と対策の状況」で、媒体・保存先ごとに脅威の起こりやすさを選び、"
            .. "自社診断から求めた脆弱性が実際の対策の状況と合っているかを確かめる",
          expert = "回答に随時助言し、判断に迷った項目を当日確かめる点としてまとめる",
          provided = { sheet },
        },
        item {
          id = "s3.prep.draft",
          company = "急ぐ対策に充てられる人員と予算のおおよその目安を社内で確認しておく",
          expert = "台帳と回答からリスク値を試算し、リスクの大きい資産と対策案を整理して報告書の素案を作る",
        },
      },
      onsite = {
        item {
          id = "s3.onsite.results",
          company = "「リスク分析」のリスク値の一覧と「リスク集計」を確認し、自社のリスクの大きい資産を理解する",
          expert = "被害発生可能性（脅威と脆弱性から求める）とリスク値（重要度×被害発生可能性）の読み方、"
            .. "大・中・小の区分を説明し、優先して手当てすべき資産を示す",
          deliverables = { sheet },
          minutes = 30,
        },
        item {
          id = "s3.onsite.treatment",
          company = "リスクの大きい資産ごとに、低減・回避・移転・保有のどれを選ぶかを話し合い、担当と時期を決める",
          expert = "緊急度・重要度・難易度で対策を絞り込み、対策の費用が想定される損失を上回る場合は"
            .. "リスクを保有することも合理的な判断であると助言する",
          minutes = 40,
        },
        item {
          id = "s3.onsite.operation",
          company = "台帳とリスク分析シートを見直す時期（年1回、資産の追加・廃棄時、業務の変更時など）と担当者を決める",
          expert = "台帳を自社で更新し続けるための運用ルールと、見直しの際に確認する点を助言する",
          minutes = 20,
        },
        item {
          id = "s3.onsite.review",
          company = "成果物の説明を受け、内容に合意する",
          expert = "成果物をレビューし、合意を得る",
          deliverables = { ledger, sheet, result, "自社診断の結果" },
          minutes = 30,
        },
      },
      after = { common.final_report("s3.after.final") },
    },
  },
  -- Industry variants choose the sample rows of the ledger (assetdata.lua).
  -- A manufacturer whose name or notes say 印刷 gets the printing samples
  -- instead of the manufacturing ones (assetdocs.lua, sample_rows).
  variants = {
    { id = "manufacturing", title = "製造業向けサンプル", industries = { "製造業", "製造業（ゴム製品）" } },
    { id = "automotive", title = "自動車部品サプライヤー向けサンプル", industries = { "製造業（自動車産業）" } },
    { id = "printing", title = "印刷業向けサンプル", industries = { "製造業（印刷）", "印刷業", "印刷・同関連業" } },
    { id = "construction", title = "建設業向けサンプル", industries = { "建設業" } },
    { id = "retail", title = "卸売・小売業向けサンプル", industries = { "卸売業", "小売業", "飲食サービス業" } },
    { id = "medical", title = "医療・福祉向けサンプル", industries = { "医療、福祉" } },
    { id = "professional", title = "士業・専門サービス向けサンプル", industries = { "学術研究、専門・技術サービス業" } },
    { id = "it", title = "IT サービス向けサンプル", industries = { "情報通信業" } },
  },
  worksheets = {
    selfdiag.sheet, selfdiag.summary, selfdiag.summary_advice,
    assetdocs.ledger, assetdocs.threats, assetdocs.analysis, assetdocs.levels, assetdocs.measures,
    survey.company, survey.expert,
  },
  documents = {
    documents.visit_plan, documents.requests, documents.hearing, documents.self_diagnosis,
    assetdocs.docs.ledger, documents.visit_report, assetdocs.docs.risk_sheet, assetdocs.docs.report,
    documents.final_report, documents.schedule,
    survey.docs.company, survey.docs.company_early, survey.docs.expert,
  },
}
