-- Theme 4: セキュリティインシデント対応.
-- Syllabus in the shape of the programme's sample (図表 2-46), based on the
-- guideline's 付録8 (検知・初動対応 → 報告・公表 → 復旧・再発防止) and the
-- response structure of 付録5 chapter 10 (roles, impact levels 0-3, contacts).
local survey = require "survey"
local common = require "common"
local selfdiag = require "selfdiag"
local documents = require "documents"
local incidentdocs = require "incidentdocs"
local incidentscenarios = require "incidentscenarios"

local tebiki = "中小企業のためのセキュリティインシデント対応の手引き"
local contacts = "体制・連絡先シート"
local procedure = "インシデント対応手順書"
local scenario = "机上演習シナリオ"
local record = "机上演習記録"
local report_sample = "インシデント報告書（記入例・様式）"
local lecture = "指導講習コンテンツ"

return theme {
  id = "incident",
  number = 4,
  title = "セキュリティインシデント対応",
  base = "ガイドライン付録8「中小企業のためのセキュリティインシデント対応の手引き」",
  audience = "インシデントが起きたときに誰が何をするかが決まっておらず、事後の対応に手間取って被害を広げかねない企業。"
    .. "取引先とのやり取りが多く、サプライチェーンの一員として他社にも影響を及ぼしうる企業に向く。",
  effect = "インシデント対応の流れが手順として整い、必要に応じて従業員の訓練も行うことで、"
    .. "いざというときに素早く的確に動ける体制ができる。",
  goals = {
    common.goal1,
    "インシデント対応手順書の作成",
    "作成したインシデント対応手順書に基づく机上演習の実施",
  },
  steps = {
    step {
      title = "第1ステップ（指導申込み～第1回訪問）",
      aim = "自社診断で今のリスクを把握し、インシデント対応の体制と連絡先の整理を始める",
      prep = {
        item {
          id = "s1.prep.materials",
          company = "提供できる社内資料（会社案内、組織図、過去のトラブルと対応の記録、取引先との契約で求められている報告義務など）を用意する",
          expert = "ホームページ等で企業と事業を調べ、業種や取引関係から起こりやすいインシデントを想定してヒアリングシートを作る",
          provided = { lecture },
        },
        common.selfdiag_prep("s1.prep.selfdiag"),
        item {
          id = "s1.prep.contacts",
          company = "IT機器やシステムの保守業者、プロバイダ、主な取引先の窓口など、社外の連絡先を書き出す",
          expert = "書き出す範囲（保守・委託先、取引先、相談・届出先）を案内する",
        },
        common.members("s1.prep.members", "経営者、情報セキュリティ責任者の候補、IT担当者、総務担当者など"),
      },
      onsite = {
        common.kickoff("s1.onsite.kickoff", 20, { lecture, tebiki }),
        common.selfdiag_review("s1.onsite.selfdiag", 35),
        item {
          id = "s1.onsite.history",
          company = "過去に起きたトラブル（ウイルス感染、メールの誤送信、機器の紛失や故障など）と、その時の対応を説明する",
          expert = "誰が気付き、誰に知らせ、誰が判断したかを聞き取り、対応が滞った点と自社で起こりやすいインシデントを整理する",
          minutes = 20,
        },
        item {
          id = "s1.onsite.structure",
          company = "最高責任者・対応責任者・一次対応者に誰を充てるかを代理者も含めて検討し、体制・連絡先シートに書き始める",
          expert = "手引きに沿ってインシデントの定義と「検知・初動対応」「報告・公表」「復旧・再発防止」の流れを説明し、"
            .. "シートの記入方法を指導する",
          provided = { contacts, tebiki },
          deliverables = { contacts .. "（途中版）" },
          minutes = 35,
        },
        item {
          id = "s1.onsite.requests",
          company = "体制・連絡先シートを仕上げて訪問前に提出することを了解する",
          expert = "シートの提出期限と、休日・夜間の連絡手段も確かめておくよう伝え、次回日程を調整する",
          minutes = 10,
        },
      },
      after = { common.report("s1.after.report") },
    },
    step {
      title = "第2ステップ（第1回訪問～第2回訪問）",
      aim = "体制と連絡先を確定し、自社のインシデント対応手順書を作る",
      prep = {
        item {
          id = "s2.prep.contacts",
          company = "体制・連絡先シート（社内の連絡網、社外の保守業者・取引先・相談先）を仕上げて提出する",
          expert = "提出されたシートを取り込み、連絡が途切れる箇所、代理者の有無、休日・夜間の連絡手段を点検する",
          provided = { contacts },
        },
        item {
          id = "s2.prep.draft",
          company = "自社で特に心配なインシデント（ランサムウェア、不正アクセス、メール誤送信、PCやUSBメモリの紛失など）を挙げておく",
          expert = "手引きと自社の体制を基に手順書のひな形を調整し、想定するインシデントごとの対応の骨子を用意する",
          provided = { tebiki },
        },
      },
      onsite = {
        item {
          id = "s2.onsite.contacts",
          company = "体制・連絡先シートの内容を説明する",
          expert = "取り込んだシートを確認し、届出・相談先（個人情報保護委員会、警察、IPA、所管官庁など）が抜けていないか確かめる",
          deliverables = { contacts },
          minutes = 20,
        },
        item {
          id = "s2.onsite.levels",
          company = "影響範囲のレベル（0〜3）を自社に当てはめた判断基準と、レベルごとの対応者・連絡先に合意する",
          expert = "顧客・取引先に影響が及ぶ場合や個人情報が漏えいした場合を最も高いレベルとするなど、判断の目安を示す",
          minutes = 25,
        },
        item {
          id = "s2.onsite.procedure",
          company = "想定するインシデントごとに、誰が何をするかを専門家と一緒に手順書へ書き込む",
          expert = "電源を安易に切らずにネットワークから切り離す、証拠を残す、第一報の相手と時期、届出、"
            .. "復旧の確認と経営者への報告、再発防止策の検討までを、具体的な手順に落とし込むよう指導する",
          deliverables = { procedure .. "（案）" },
          minutes = 60,
        },
        item {
          id = "s2.onsite.requests",
          company = "手順書案を社内で読み合わせること、机上演習の参加者を選ぶことを了解する",
          expert = "次回の机上演習の進め方と参加者の目安を伝え、次回日程を調整する",
          minutes = 15,
        },
      },
      after = { common.report("s2.after.report") },
    },
    step {
      title = "第3ステップ（第2回訪問～第3回訪問）",
      aim = "手順書に沿って机上演習を行い、その結果から手順書を見直して定着の方法を決める",
      prep = {
        item {
          id = "s3.prep.readthrough",
          company = "手順書案を関係者で読み合わせ、分かりにくい点や実態に合わない点をまとめる。演習の参加者を決める",
          expert = "読み合わせで出た疑問に随時助言する",
        },
        item {
          id = "s3.prep.scenario",
          company = "演習の場所と参加者の時間を確保する",
          expert = "業種と取引関係に合わせた演習シナリオ（例：取引先を装ったメールからランサムウェアに感染し、"
            .. "取引先への影響も疑われる）を作り、段階ごとに示す状況を用意する",
          provided = { scenario },
        },
      },
      onsite = {
        item {
          id = "s3.onsite.briefing",
          company = "演習の目的と進め方を理解し、役割と記録係を決める",
          expert = "演習の前提条件とルールを説明する",
          minutes = 10,
        },
        item {
          id = "s3.onsite.exercise",
          company = "参加者が役割を分担し、示された状況に応じて手順書を見ながら判断・連絡・対応を進める",
          expert = "シナリオを段階的に進め、判断の遅れ、連絡の漏れ、手順書で足りない点を記録する",
          provided = { scenario },
          deliverables = { record },
          minutes = 50,
        },
        item {
          id = "s3.onsite.debrief",
          company = "演習で迷った点を振り返り、手順書と連絡先の直す箇所を決める",
          expert = "記録を基に改善点を示し、報告書のサンプルを使って、事後に残す記録（発生日時、発見者、影響範囲、"
            .. "対応の経過、原因、再発防止策）のまとめ方を説明する",
          provided = { report_sample },
          deliverables = { procedure },
          minutes = 30,
        },
        item {
          id = "s3.onsite.review",
          company = "成果物の説明を受けて合意し、演習の定期的な実施と手順書・連絡先の見直し時期を決める",
          expert = "成果物をレビューし、合意を得る",
          deliverables = { contacts, procedure, scenario, record, "自社診断結果報告" },
          minutes = 30,
        },
      },
      after = { common.final_report("s3.after.final") },
    },
  },
  -- Variants choose the scenario of the tabletop exercise, by industry
  -- (incidentscenarios.lua); without one, a cloud outage every company has.
  variants = (function()
    local list = {}
    for _, s in ipairs(incidentscenarios.scenarios) do
      list[#list + 1] = { id = s.id, title = "机上演習：" .. s.title, industries = s.industries }
    end
    return list
  end)(),
  worksheets = {
    selfdiag.sheet, selfdiag.summary, selfdiag.summary_advice,
    incidentdocs.team, incidentdocs.contacts, incidentdocs.systems, incidentdocs.exercise,
    survey.company, survey.expert,
  },
  documents = {
    documents.visit_plan, documents.requests, documents.hearing, documents.self_diagnosis,
    incidentdocs.docs.team, documents.visit_report, incidentdocs.docs.procedure,
    incidentdocs.docs.report_example, incidentdocs.docs.report_blank, incidentdocs.docs.scenario_participants,
    incidentdocs.docs.scenario,
    incidentdocs.docs.exercise, incidentdocs.docs.review, documents.final_report, documents.schedule,
    survey.docs.company, survey.docs.company_early, survey.docs.expert,
  },
}
