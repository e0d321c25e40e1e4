-- Theme 3: クラウドサービスの安全利用.
-- Syllabus in the shape of the programme's sample (図表 2-46), based on the
-- guideline's 付録6 (the cloud handbook and its 15 checks: 6 for choosing,
-- 4 for operating, 5 for security management).
local survey = require "survey"
local common = require "common"
local selfdiag = require "selfdiag"
local documents = require "documents"
local clouddocs = require "clouddocs"

local tebiki = "中小企業のためのクラウドサービス安全利用の手引き"
local ledger = "クラウドサービス台帳"
local checklist = "安全利用チェックリスト"
local handbook = "自社版 クラウドサービス安全利用の手引き"
local lecture = "指導講習コンテンツ"

return theme {
  id = "cloud",
  number = 3,
  title = "クラウドサービスの安全利用",
  base = "ガイドライン付録6「中小企業のためのクラウドサービス安全利用の手引き」",
  audience = "業務の効率化のためにクラウドサービスを使い始めたものの、それに伴うリスクへの理解が浅く、対策も追いついていない企業。"
    .. "情報の保管や処理を社外のサービスに任せる範囲が広がっているのに、安全面の確認が手薄な中小企業に向く。",
  effect = "自社の実情に合わせた「クラウドサービス安全利用の手引き」を作ることで、"
    .. "クラウドを使う際にどこに危険があるのかを社内で理解し、自ら判断できるようになる。",
  goals = {
    common.goal1,
    "自社における現状導入済み/利用予定クラウドサービスの洗い出し",
    "抽出したクラウドサービスに対する安全利用チェック",
  },
  steps = {
    step {
      title = "第1ステップ（指導申込み～第1回訪問）",
      aim = "自社診断で今のリスクを把握し、利用しているクラウドサービスの洗い出しを始める",
      prep = {
        item {
          id = "s1.prep.materials",
          company = "提供できる社内資料（会社案内、組織図、ITサービスの契約や請求が分かる資料など）を用意する",
          expert = "ホームページ等で企業と事業を調べ、業種でよく使われるクラウドサービスを想定してヒアリングシートを作る",
          provided = { lecture },
        },
        common.selfdiag_prep("s1.prep.selfdiag"),
        item {
          id = "s1.prep.inventory",
          company = "部署ごとに、業務で使っているクラウドサービス（メール、ファイル共有、会計、Web会議、ネットバンキングなど）を書き出す",
          expert = "有料・無料、会社契約・個人契約、導入予定のものも含めて書き出すよう、観点を案内する",
        },
        common.members("s1.prep.members", "経営者、IT担当者、サービスの契約・管理の担当者など"),
      },
      onsite = {
        common.kickoff("s1.onsite.kickoff", 20, { lecture, tebiki }),
        common.selfdiag_review("s1.onsite.selfdiag", 35),
        item {
          id = "s1.onsite.basics",
          company = "クラウドサービスの利点と特有のリスクについて説明を受け、自社の使い方に照らして質問する",
          expert = "手引きに沿って、セキュリティの一部を事業者に委ねるというクラウドの性質と、"
            .. "選択するとき・運用するとき・セキュリティを管理するときの3つの観点を説明する",
          provided = { tebiki },
          minutes = 25,
        },
        item {
          id = "s1.onsite.ledger",
          company = "書き出したサービスを台帳に書き込み始め、利用部署、社内の管理者、扱う情報、契約形態を確かめる",
          expert = "台帳の記入方法を説明し、個人契約で使われているサービスや利用予定のサービスも漏らさないよう助言する",
          provided = { ledger },
          deliverables = { ledger .. "（途中版）" },
          minutes = 30,
        },
        item {
          id = "s1.onsite.requests",
          company = "台帳を仕上げて訪問前に提出すること、主なサービスの利用規約や契約書を集めることを了解する",
          expert = "台帳の提出期限と、次回までに集めてほしい資料（利用規約、SLA、契約書など）を伝え、次回日程を調整する",
          minutes = 10,
        },
      },
      after = { common.report("s1.after.report") },
    },
    step {
      title = "第2ステップ（第1回訪問～第2回訪問）",
      aim = "クラウドサービス台帳を確定し、重要なサービスから安全利用チェックを進める",
      prep = {
        item {
          id = "s2.prep.ledger",
          company = "導入済みと利用予定のサービスを台帳にまとめ、提出する",
          expert = "提出された台帳を取り込み、抜けや重複、扱う情報の重要度を確認して、チェックの優先順位案を作る",
          provided = { ledger },
        },
        item {
          id = "s2.prep.documents",
          company = "主なサービスの利用規約、SLA、プライバシーポリシー、契約書と、管理画面の設定状況を集める",
          expert = "事業者の公開情報から、セキュリティ対策の内容、サポート窓口、データの保管場所を下調べする",
        },
      },
      onsite = {
        item {
          id = "s2.onsite.import",
          company = "台帳の内容とサービスごとの使い方を説明する",
          expert = "取り込んだ台帳を確認し、管理者の決まっていないサービスや退職者のアカウントが残っていそうなものを質問する",
          deliverables = { ledger },
          minutes = 20,
        },
        item {
          id = "s2.onsite.priority",
          company = "チェックを行うサービスの順番に合意する",
          expert = "情報が漏えい・改ざん・消失した場合やサービスが止まった場合の業務への影響を基に、優先順位を提案する",
          minutes = 25,
        },
        item {
          id = "s2.onsite.check",
          company = "優先度の高いサービスについて、専門家と一緒にチェックリストの15項目を確認し、評価を付ける",
          expert = "手引きの15項目（選択6・運用4・セキュリティ管理5）ごとに、記載があるかではなく内容が自社にとって十分かで判断するよう導き、"
            .. "適切／要改善／未確認／該当なしで評価する。SLAの稼働率や復旧目標が業務に見合うかなど、判断の目安を示す",
          provided = { checklist, tebiki },
          deliverables = { checklist .. "（優先サービス分）" },
          minutes = 60,
        },
        item {
          id = "s2.onsite.requests",
          company = "残りのサービスのチェックを次回までに進めることを了解する",
          expert = "残りのサービスの進め方と、未確認の項目を事業者への問い合わせ等で確かめる方法を伝え、次回日程を調整する",
          minutes = 15,
        },
      },
      after = { common.report("s2.after.report") },
    },
    step {
      title = "第3ステップ（第2回訪問～第3回訪問）",
      aim = "全サービスのチェック結果から改善策を決め、自社版の安全利用の手引きをまとめる",
      prep = {
        item {
          id = "s3.prep.check",
          company = "残りのサービスのチェックリストを記入し、要改善・未確認の項目を事業者の資料や問い合わせで確かめる",
          expert = "記入内容に随時助言する",
          provided = { checklist },
        },
        item {
          id = "s3.prep.banking",
          company = "インターネットバンキングの利用状況（認証の方式、使う端末、担当者と承認者の分担、取引通知の設定など）を、"
            .. "チェックリストのB1〜B7に沿って確認する",
          expert = "B1〜B7の確かめ方を伝え、回答を点検して気になる点をまとめる",
          provided = { checklist },
        },
        item {
          id = "s3.prep.draft",
          company = "手引きの内容と既存の社内ルールとの食い違いがないか、確認したい点を挙げておく",
          expert = "チェック結果を集計し、自社版手引きの素案（導入時の確認手順、管理者とアカウントの管理、認証、バックアップ、"
            .. "利用終了時の手順など）を作る",
          provided = { tebiki },
        },
      },
      onsite = {
        item {
          id = "s3.onsite.results",
          company = "サービスごとの評価結果を確認する",
          expert = "要改善・未確認の項目を一覧にして、影響の大きいものから改善策と担当・期限の案を示す",
          deliverables = { checklist },
          minutes = 25,
        },
        item {
          id = "s3.onsite.banking",
          company = "インターネットバンキングの使い方を見直し、改める点を決める",
          expert = "不正送金の手口を踏まえ、ワンタイムパスワード等の認証、利用端末の限定、承認者の分離、通知の活用などを助言する",
          provided = { checklist },
          minutes = 20,
        },
        item {
          id = "s3.onsite.handbook",
          company = "素案を基に、導入前の承認、管理者の指名、利用者とアカウントの管理、パスワードと多要素認証、"
            .. "バックアップ、利用終了時のデータの扱いなどのルールを決める",
          expert = "自社の規模と実態で守れるルールになるよう助言し、社内への周知の方法を話し合う",
          deliverables = { handbook },
          minutes = 45,
        },
        item {
          id = "s3.onsite.review",
          company = "成果物の説明を受け、内容に合意する",
          expert = "成果物をレビューし、合意を得る",
          deliverables = { ledger, checklist, handbook, "自社診断結果報告" },
          minutes = 30,
        },
      },
      after = { common.final_report("s3.after.final") },
    },
  },
  -- Industry variants add suggested services to the ledger (clouddata.lua).
  variants = {
    { id = "manufacturing", title = "製造業向けの候補", industries = { "製造業", "製造業（ゴム製品）" } },
    { id = "automotive", title = "自動車部品サプライヤー向けの候補", industries = { "製造業（自動車産業）" } },
    { id = "construction", title = "建設業向けの候補", industries = { "建設業" } },
    { id = "retail", title = "卸売・小売業向けの候補", industries = { "卸売業", "小売業", "飲食サービス業" } },
    { id = "medical", title = "医療・福祉向けの候補", industries = { "医療、福祉" } },
    { id = "professional", title = "士業・専門サービス向けの候補", industries = { "学術研究、専門・技術サービス業" } },
    { id = "it", title = "IT サービス向けの候補", industries = { "情報通信業" } },
  },
  worksheets = {
    selfdiag.sheet, selfdiag.summary, selfdiag.summary_advice,
    clouddocs.ledger, clouddocs.checklist, clouddocs.summary,
    survey.company, survey.expert,
  },
  documents = {
    documents.visit_plan, documents.requests, documents.hearing, documents.self_diagnosis,
    clouddocs.docs.ledger, clouddocs.docs.checklist, documents.visit_report,
    clouddocs.docs.checklist_result, clouddocs.docs.guide, documents.final_report, documents.schedule,
    survey.docs.company, survey.docs.company_early, survey.docs.expert,
  },
}
