-- The security experts' skills questionnaire (セキュリティ専門家スキル調査アンケート),
-- printed in the programme's report under 「4.3. セキュリティ専門家スキルアンケート項目」.
-- Wording and choices are the programme's own; the format is described in
-- docs/survey-format.md.
--   M.form   the questionnaire (id expert_skills);
--   M.scale  the 0–3 scale of the skill grids;
--   M.areas  the six skill areas S1 … S6 and their sub-items a., b., c.
-- The form prints its part headings in 【】 (【回答者情報】, …); the part titles here
-- leave the brackets out. Its heading 【保有スキルについて】 stands above all six skill
-- areas and asks nothing: the areas are parts of their own, S1. … S6.
-- The form numbers its questions 「問 1.」, 「問 5-1.」, …; the labels here read 問1,
-- 問5-1, …, and the rows of a box or a grid 問5-2(1), 問17-1(1), ….
-- The skill grids are not required: the programme counted respondents who left
-- them empty (スキル無回答) and kept them off the list rather than refusing them.
-- Unlike the rule of docs/survey-format.md, a text question the form marks ※必須 is
-- required = true here. A choice question the form does not mark ※必須 (問3, 問16)
-- is required = false.

local M = {}

-- The scale of the skill grids, printed above every grid as
-- 「(0：知識・経験なし 1：基礎知識のみ 2：サポートがあれば実行可能 3：単独実行可能)」
-- (some grids with full-width colons, some with half-width ones and a space).
M.scale = {
  ["0"] = "知識・経験なし",
  ["1"] = "基礎知識のみ",
  ["2"] = "サポートがあれば実行可能",
  ["3"] = "単独実行可能",
}

-- The choices of every row of a skill grid.
local levels = { "0", "1", "2", "3" }

-- The box after every skill grid. The form numbers it a-2., b-2, c-2 (with the
-- period after a-2 in S1, S5 and S6 only); those numbers are left out, and the box
-- has no label.
local evidence = "回答の根拠となる実績や経験について記入してください。"

-- Row n of skill sub-item `skill` ("S3-b"): answered 0–3, id "s3_b_n", label
-- "S3-b(n)".
local function skill_item(skill, n, text)
  return { id = skill:lower():gsub("-", "_") .. "_" .. n,
           label = ("%s(%d)"):format(skill, n), skill = skill,
           text = text, type = "single", choices = levels, required = false }
end

-- The evidence box after sub-item `skill`'s grid.
local function evidence_for(skill)
  return { id = skill:lower():gsub("-", "_") .. "_evidence",
           text = evidence, type = "text", required = false }
end

-- 問17-1's columns.
local fee_levels = { "かなり低額", "やや低額", "妥当、適正", "やや高額", "かなり高額", "分からない" }
local q17_1 = "講習料の金額感を選択してください。"

local q5_2 = "「経験あり」の場合、支援実績について記入してください。"

M.areas = {
  { id = "S1", title = "サイバーセキュリティ対策の方針策定と管理体制づくり",
    items = {
      { id = "S1-a", title = "経営戦略の理解、経営者とのコミュニケーション" },
      { id = "S1-b", title = "サイバーセキュリティ対策体制の構築、サイバーセキュリティ対策の基本方針の構築と運用" },
      { id = "S1-c", title = "外部リスク評価力、コンプライアンス対応" },
    } },
  { id = "S2", title = "セキュリティリスクの識別",
    items = {
      { id = "S2-a", title = "情報資産の洗い出しと情報資産管理台帳の運用設計、潜在リスクの特定と評価" },
      { id = "S2-b", title = "リスクに基づくサイバーセキュリティ対策の策定、現存対策の評価及び改善点の指摘" },
      { id = "S2-c", title = "社内外における、サイバーセキュリティ対策の推進" },
    } },
  { id = "S3", title = "サイバーセキュリティ対策の実践と運用の強化",
    items = {
      { id = "S3-a", title = "アカウント管理、アクセス管理" },
      { id = "S3-b", title = "データ管理、システムセキュリティ管理、コンテンツセキュリティ管理" },
      { id = "S3-c", title = "社内セキュリティ教育の策定と運用" },
    } },
  { id = "S4", title = "サイバー攻撃の検知と監視、検知後の運用策定",
    items = {
      { id = "S4-a", title = "セキュリティインシデント対処教育の策定と実施" },
      { id = "S4-b", title = "ウイルス対策ソフトの運用、システム・ネットワークの監視、外部監視サービスの導入" },
      { id = "S4-c", title = "インシデント初動の運用設計と教育実施能力" },
    } },
  { id = "S5", title = "サイバー攻撃発生時の対応",
    items = {
      { id = "S5-a", title = "セキュリティインシデント対応（セキュリティインシデント対応計画の策定、セキュリティインシデント調査・対応、セキュリティインシデント報告・公表支援）" },
    } },
  { id = "S6", title = "セキュリティインシデントからの復旧とコミュニケーション",
    items = {
      { id = "S6-a", title = "セキュリティインシデント復旧支援" },
    } },
}

-- The skill grids: every grid asks 「次の項目の習熟度を選択してください。」 (a-1,
-- b-1, c-1) on the scale above; one question per row, whose text is the row's
-- item as printed. From S2-c on the seed prints the grids' circles as
-- <input type="radio"/> instead of ○; the same grid either way.
M.form = {
  id = "expert_skills",
  title = "セキュリティ専門家スキル調査アンケート",
  intro = nil,
  parts = {
    { title = "回答者情報",
      questions = {
        { id = "respondent_name",
          text = "氏名",
          type = "text",
          required = true,
          prefill = "expert_name" },
        { id = "respondent_residence",
          text = "居住地（都道府県と市区町村までで可）",
          type = "text",
          required = true },
        -- The form adds 「(いずれか○で選択)」 and prints the choices 「独立 ・ 企業勤務」.
        { id = "respondent_affiliation",
          text = "所属状況",
          type = "single",
          choices = { "独立", "企業勤務" },
          required = true },
        { id = "respondent_organisation",
          text = "所属組織・企業名",
          type = "text",
          required = true },
        { id = "respondent_email",
          text = "メールアドレス",
          type = "text",
          required = true },
        { id = "respondent_age",
          text = "年齢",
          type = "number",
          unit = "歳",
          min = 0,
          required = false },
      } },

    { title = "資格・経験について",
      questions = {
        -- The form's blank reads 「第 _____ 号」.
        { id = "q1", label = "問1",
          text = "情報処理安全確保支援士登録番号",
          type = "text",
          required = true },
        -- The form's blank reads 「_____ 年」.
        { id = "q2", label = "問2",
          text = "登録年（西暦）",
          type = "number",
          unit = "年",
          required = true },
        -- Not marked ※必須, and no 該当なし to choose for none.
        { id = "q3", label = "問3",
          text = "その他保有されている資格を選択してください。（複数選択可）",
          type = "multi",
          choices = {
            "ITコーディネータ",
            "中小企業診断士",
            "社会保険労務士",
            "ITストラテジスト",
            "システム監査技術者",
            "CISA（公認情報システム監査人）",
            "CISSP",
            "その他（ _____ ）",
          },
          other = "その他（ _____ ）",
          required = false },
        { id = "q4", label = "問4",
          text = "セキュリティ分野での実務経験年数を選択してください。",
          type = "single",
          -- The ranges overlap at 5 and 10 years as printed (3-5年, 5-10年).
          choices = { "3年未満", "3-5年", "5-10年", "10年以上" },
          required = true },
        { id = "q5_1", label = "問5-1",
          text = "企業に対するセキュリティ対策支援の経験はありますか。",
          type = "single",
          choices = { "経験なし", "経験あり" },
          required = true },
        -- 問5-2: three boxes, one per row, each marked ※必須.
        { id = "q5_2_1", label = "問5-2(1)",
          text = q5_2 .. " — 支援件数",
          type = "number",
          unit = "件",
          when = { q = "q5_1", any = { "経験あり" } },
          required = true },
        -- The form's blank reads 「約 _____ 年」: an approximate number of years.
        { id = "q5_2_2", label = "問5-2(2)",
          text = q5_2 .. " — 支援年数",
          type = "number",
          unit = "年",
          when = { q = "q5_1", any = { "経験あり" } },
          required = true },
        { id = "q5_2_3", label = "問5-2(3)",
          text = q5_2 .. " — 支援内容",
          type = "text",
          when = { q = "q5_1", any = { "経験あり" } },
          required = true },
        { id = "q6", label = "問6",
          text = "セキュリティ対策支援において得意とする業界を選択してください。(複数選択可)",
          type = "multi",
          choices = {
            "自動車産業",
            "半導体産業",
            "その他製造業",
            "建設業",
            "防衛産業",
            "電力産業",
            "運輸・交通業",
            "小売業",
            "卸売業",
            "サービス業",
            "金融業",
            "医療",
            "教育",
            "その他 (_____)",
            "該当なし",
          },
          other = "その他 (_____)",
          required = true },
        -- The seed breaks this list with a blank line after 税理士会; taken as one
        -- list of twelve. 「IT コーディネータ協会」 keeps the space the seed prints
        -- (問3 prints 「ITコーディネータ」 without one).
        { id = "q7", label = "問7",
          text = "所属している組織やつながりのある団体があれば選択してください。(複数選択可)",
          type = "multi",
          choices = {
            "商工会議所・商工会",
            "中小企業庁関連 (中小企業基盤整備機構・よろず支援拠点・都道府県等中小企業支援センター等)",
            "金融機関",
            "日本自動車工業会・日本自動車部品工業会",
            "情報処理安全確保支援士会",
            "IT コーディネータ協会",
            "中小企業診断士協会",
            "税理士会",
            "社会保険労務士会",
            "行政書士会",
            "その他 (_____)",
            "該当なし",
          },
          other = "その他 (_____)",
          required = true },
      } },

    { title = "セキュリティ対策支援が可能な範囲等について",
      questions = {
        { id = "q8", label = "問8",
          text = "あなたが、中小企業に対するセキュリティ対策支援が可能な「企業規模」を選択してください。(複数選択可)",
          type = "multi",
          choices = {
            "従業員 10 名以下",
            "従業員 11-50 名",
            "従業員 51-100 名",
            "従業員 101-300 名",
            "従業員 301 名以上",
            "該当なし",
          },
          required = true },
        -- The seed prints the prefectures seven to a line, each line one list
        -- item; taken as one choice per prefecture, in the printed order.
        { id = "q9", label = "問9",
          text = "あなたが、中小企業に対するセキュリティ対策支援が可能な「都道府県」を選択してください。(複数選択可)",
          type = "multi",
          choices = {
            "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
            "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
            "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
            "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
            "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
            "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
            "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
            "該当なし",
          },
          required = true },
        { id = "q10", label = "問10",
          text = "あなたが、中小企業に対するセキュリティ対策支援が可能な「支援形態」を選択してください。(複数選択可)",
          type = "multi",
          choices = {
            "訪問によるコンサルティング",
            "オンラインコンサルティング",
            "講演・研修",
            "インシデント発生時の緊急対策支援",
            "セキュリティ製品の選定・導入支援",
            "長期的支援 (顧問契約等)",
            "その他 (_____)",
            "該当なし",
          },
          other = "その他 (_____)",
          required = true },
        -- The form prints ※必須 on a line of its own after the question. Below the
        -- choices it explains them under 「（各テーマの狙い・指導先企業への効果など）」:
        --   ※1 不足していた情報セキュリティ規程が整備され、社内での運用・周知方法まで確立されることで、社内セキュリティ体制の継続的・自律的な改善が図れるようになる。
        --   ※2 企業が保有する情報資産が洗い出され、リスク分析シートとして整備することで、自律的な運用が図れるとともに、リスク低減策等の検討の題材にもなる。
        --   ※3 当該支援先企業における「クラウドサービス安全利用の手引き」を策定することで、クラウドサービス利用に伴うリスクを理解できるようになる。
        --   ※4 インシデント対応プロセスを整備し、必要に応じ、従業員の訓練も実施することで、セキュリティインシデント発生時に迅速かつ効果的に対応できる体制が構築できる。
        --   ※5 セキュリティ教育プログラムを策定するとともに、定期的に見直しと更新を行う体制を構築。実際に従業員に対するセキュリティ教育を実施することで、社内の意識向上にもつなげられる。
        -- The choices keep their （※n） marks as printed.
        { id = "q11", label = "問11",
          text = "現在、中小企業に対するセキュリティ対策支援の拡充のため、下記の 5 テーマに関する IPA の普及啓発資料を指導用ツールとして整備しています。あなたが支援が可能な「テーマ」を選択してください。（複数選択可）",
          type = "multi",
          choices = {
            "情報セキュリティ規程の整備（※1）",
            "情報資産の洗い出しとリスク分析（※2）",
            "クラウドサービスの安全利用（※3）",
            "セキュリティインシデント対応（※4）",
            "従業員向け情報セキュリティ教育（※5）",
            "該当なし",
          },
          theme_choice = {
            policy = "情報セキュリティ規程の整備（※1）",
            assets = "情報資産の洗い出しとリスク分析（※2）",
            cloud = "クラウドサービスの安全利用（※3）",
            incident = "セキュリティインシデント対応（※4）",
            training = "従業員向け情報セキュリティ教育（※5）",
          },
          required = true },
        { id = "q12", label = "問12",
          text = "あなたが、中小企業に対するセキュリティ対策支援をする際に希望する「1 回（2 時間）あたりの報酬額」を選択してください。",
          type = "single",
          choices = {
            "20,000 円未満",
            "20,000 円以上～30,000 円未満",
            "30,000 円以上～40,000 円未満",
            "40,000 円以上",
          },
          required = true },
        -- ※必須 again on a line of its own. 支援不可 carries its reason as the detail;
        -- the form does not say it excludes the other choices, and the format has
        -- no way to say so.
        { id = "q13", label = "問13",
          text = "あなたが、中小企業に対するセキュリティ対策支援が可能な「期間」を選択してください。（複数選択可）",
          type = "multi",
          choices = {
            "スポット対応",
            "1～3 か月",
            "3 か月～半年",
            "半年～1 年程度",
            "1 年以上の長期的支援（顧問契約等）",
            "支援不可 理由（_____）",
          },
          other = "支援不可 理由（_____）",
          required = true },
        { id = "q14", label = "問14",
          text = "中小企業に対するセキュリティ対策支援における、あなたの強み（自己 PR）を 50 文字以内で記入してください。",
          type = "text",
          required = false },
      } },

    { title = "情報処理安全確保支援士の講習について",
      questions = {
        { id = "q15", label = "問15",
          text = "過去に受講経験のある講習を選択してください。(複数選択可)",
          type = "multi",
          choices = { "オンライン講習", "実践講習", "特定講習" },
          required = true },
        -- Not marked ※必須, though its last choice covers those who took none.
        { id = "q16", label = "問16",
          text = "これまでに受講された講習の主な分野を選択してください。(複数選択可)",
          type = "multi",
          choices = {
            "セキュリティ監視・運用",
            "セキュリティ調査分析・研究開発",
            "脆弱性診断・ペネトレーションテスト",
            "セキュリティ統括",
            "その他 (_____)",
            "該当なし (更新時期未到来のため)",
          },
          other = "その他 (_____)",
          required = false },
        -- 問17-1 is a grid: one row per course, the six columns its choices.
        { id = "q17_1_1", label = "問17-1(1)",
          text = q17_1 .. " — オンライン講習",
          type = "single", choices = fee_levels, required = true },
        { id = "q17_1_2", label = "問17-1(2)",
          text = q17_1 .. " — 実践講習",
          type = "single", choices = fee_levels, required = true },
        { id = "q17_1_3", label = "問17-1(3)",
          text = q17_1 .. " — 特定講習",
          type = "single", choices = fee_levels, required = true },
        { id = "q17_2", label = "問17-2",
          text = "理由について記入してください。",
          type = "text",
          required = false },
      } },

    { title = "S1. サイバーセキュリティ対策の方針策定と管理体制づくり",
      questions = {
        -- a. 経営戦略の理解、経営者とのコミュニケーション
        skill_item("S1-a", 1,
          "経営戦略の理解：企業のビジョン、経営目標、マーケティング戦略を理解し、サイバーセキュリティインシデントがもたらすビジネスリスクを正しく評価できる"),
        skill_item("S1-a", 2,
          "経営層への説得（サイバーセキュリティ対策）：サイバーセキュリティ対策の重要性を他のビジネスリスクと比較しながら経営者に説明できる"),
        skill_item("S1-a", 3,
          "経営層への説得（セキュリティ文化の醸成）：企業全体がセキュリティ意識をもつことの重要性について経営者に説明できる"),
        skill_item("S1-a", 4,
          "リスクの定量化：サイバー攻撃による潜在的な経営損失を具体的な数値で算出できる"),
        skill_item("S1-a", 5,
          "サイバーセキュリティ対策保険の知識：リスクに基づく加入要否の判断から、各保険商品の補償内容・適用範囲・費用対効果を考慮した最適な商品を選定するための支援を実行できる"),
        evidence_for("S1-a"),
        -- b. サイバーセキュリティ対策体制の構築、サイバーセキュリティ対策の基本方針の構築と運用
        skill_item("S1-b", 1,
          "サイバーセキュリティ対策責任者の設定：サイバーセキュリティ対策の企画・実行における責任者を特定し、その役割・権限・責任範囲を明確にするための支援を実行できる"),
        skill_item("S1-b", 2,
          "サイバーセキュリティ対策の方針の策定と運用：サイバーセキュリティ対策の方針の策定から周知、運用、維持を行うための支援を実行できる"),
        evidence_for("S1-b"),
        -- c. 外部リスク評価力、コンプライアンス対応
        skill_item("S1-c", 1,
          "サプライチェーンリスクの評価：取引先やクラウドサービス提供者のセキュリティリスクを評価できる"),
        -- As printed: a full-width semicolon 「；」 where the other rows have 「：」,
        -- and 「サイバーセキュリティセキュリティ」 doubled.
        skill_item("S1-c", 2,
          "サイバーセキュリティに関する法令、規制、業界固有ガイドライン等の知識；サイバーセキュリティセキュリティに関する法律や、規程、取引要件となる業界のサイバーセキュリティガイドラインを理解し、適用のための支援を実行できる"),
        evidence_for("S1-c"),
      } },

    { title = "S2. セキュリティリスクの識別",
      questions = {
        -- a. 情報資産の洗い出しと情報資産管理台帳の運用設計、潜在リスクの特定と評価
        skill_item("S2-a", 1,
          "情報資産の管理：情報資産管理台帳を作成し、継続的に更新・運用するプロセスを設計・実施できる"),
        -- As printed: 「情報資産持つリスク」 (presumably 情報資産の持つ…).
        skill_item("S2-a", 2,
          "情報資産リスクの評価：情報資産持つリスクを体系的に分類、評価し、優先順位付けができる"),
        evidence_for("S2-a"),
        -- b. リスクに基づくサイバーセキュリティ対策の策定、現存対策の評価及び改善点の指摘
        skill_item("S2-b", 1,
          "リスク対応策の策定と文書化：リスク管理表に基づき、各リスクへの対応策を具体化し、文書化する支援を実行できる"),
        skill_item("S2-b", 2,
          "サイバーセキュリティ対策の評価：既存のサイバーセキュリティ対策の効果について評価し、改善点を指摘できる"),
        evidence_for("S2-b"),
        -- c. 社内外における、サイバーセキュリティ対策の推進
        skill_item("S2-c", 1,
          "サイバーセキュリティ対策の社内外への発信（コミュニケーション）：サイバーセキュリティ対策やポリシーの内容、実施計画や運用について企業内外に発信する支援を実行できる"),
        skill_item("S2-c", 2,
          "セキュリティ文化の醸成：企業全体のセキュリティ意識向上のための具体的な施策を提案・実施ができる"),
        evidence_for("S2-c"),
      } },

    { title = "S3. サイバーセキュリティ対策の実践と運用の強化",
      questions = {
        -- a. アカウント管理、アクセス管理
        skill_item("S3-a", 1,
          "アカウント管理・アクセス管理：適切なアカウント・アクセス管理ポリシーを設計し、アカウントの分類や権限管理を効果的に実施できる"),
        evidence_for("S3-a"),
        -- b. データ管理、システムセキュリティ管理、コンテンツセキュリティ管理
        skill_item("S3-b", 1,
          "システム更新：ソフトウェア、OS の更新管理に関する支援を実施できる"),
        skill_item("S3-b", 2,
          "データバックアップ：適切な方式や頻度でのデータバックアップ実施と管理の支援を実施できる"),
        skill_item("S3-b", 3,
          "暗号化：暗号化を実施すべき情報機器を特定し、データ保護対策実施のための支援を実施できる"),
        evidence_for("S3-b"),
        -- c. 社内セキュリティ教育の策定と運用
        skill_item("S3-c", 1,
          "社内セキュリティ教育の策定：既存の社内セキュリティ教育を評価し、効果的な教育の策定と運用のための支援を実施できる"),
        evidence_for("S3-c"),
      } },

    { title = "S4. サイバー攻撃の検知と監視、検知後の運用策定",
      questions = {
        -- a. セキュリティインシデント対処教育の策定と実施
        skill_item("S4-a", 1,
          "セキュリティインシデント対処の教育：セキュリティインシデントの一般的な兆候を識別する方法について、効果的な社員教育を実施できる"),
        evidence_for("S4-a"),
        -- b. ウイルス対策ソフトの運用、システム・ネットワークの監視、外部監視サービスの導入
        skill_item("S4-b", 1,
          "ウイルス対策ソフトの運用：適切なウイルス対策ソフトの選定、導入、運用設計を行い、効果的に実行する支援を実行できる"),
        skill_item("S4-b", 2,
          "システム・ネットワークの監視：システムおよびネットワークの監視に関する知識を持ち、必要な運用体制を設計・実装できる"),
        skill_item("S4-b", 3,
          "外部監視サービスの導入：中小企業向けの外部監視サービスについて熟知し、適切なサービスの選定と導入のための支援を実行できる"),
        evidence_for("S4-b"),
        -- c. インシデント初動の運用設計と教育実施能力
        skill_item("S4-c", 1,
          "初動対応設計：セキュリティ事象の検知時の初動について、適切な運用を設計できる"),
        evidence_for("S4-c"),
      } },

    { title = "S5. サイバー攻撃発生時の対応",
      questions = {
        -- a. セキュリティインシデント対応（…）. The seed breaks the grid with a blank
        -- line after row (2); one grid of four rows.
        skill_item("S5-a", 1,
          "セキュリティインシデント対応計画の策定：情報セキュリティインシデント対応計画の策定と管理・運用体制を構築する支援を実行できる"),
        skill_item("S5-a", 2,
          "セキュリティインシデント分析：発生した事象に基づき、セキュリティインシデントの原因、被害とその影響範囲を正確に分析できる"),
        skill_item("S5-a", 3,
          "封じ込め戦略立案：発生した事象に基づき、適切なセキュリティインシデント封じ込め対策を設計できる"),
        skill_item("S5-a", 4,
          "セキュリティインシデントの報告と公表：セキュリティインシデント発生時における関係者への報告・公表プロセスを適切に実施および管理する支援を実行できる"),
        evidence_for("S5-a"),
      } },

    { title = "S6. セキュリティインシデントからの復旧とコミュニケーション",
      questions = {
        -- a. セキュリティインシデント復旧支援
        skill_item("S6-a", 1,
          "インシデント復旧支援：セキュリティインシデント発生時のビジネス復旧に関する責任の所在を正しく理解するための支援を実行できる"),
        skill_item("S6-a", 2,
          "インシデント事後報告書作成：インシデントの詳細、時系列、影響範囲から、実施された対応・教訓までを正確かつ簡潔に文書化する支援を実行できる"),
        skill_item("S6-a", 3,
          "データ復旧：セキュリティインシデントからの復旧時に、正しいバックアップデータを選定し、効果的な復旧を行うための支援を行える"),
        skill_item("S6-a", 4,
          "復旧行動の優先順位付け：セキュリティインシデント復旧対応について、適切に優先順位付けを行える"),
        skill_item("S6-a", 5,
          "ステークホルダーとのコミュニケーション：インシデント対応中の関係者、顧客等利害関係者への適切な頻度と内容での情報共有を管理できる"),
        evidence_for("S6-a"),
      } },

    -- The report says every respondent was asked whether they agree to be listed
    -- in the published アクティブリスト (three did not: 2.3), but does not print
    -- the question; its wording here is bansou's own.
    { title = "アクティブリストへの掲載について",
      questions = {
        { id = "listing", label = "掲載",
          text = "回答内容をもとに、中小企業等へのセキュリティ対策支援が可能な専門家として、アクティブリストに掲載することに同意しますか。",
          type = "single",
          choices = { "同意する", "同意しない" },
          required = true },
      } },
  },
}

return M
