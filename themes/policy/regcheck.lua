-- The rows of the 情報セキュリティ関連規程チェックシート (theme 1): area by
-- area, the company says whether it already has written rules and whether
-- they are followed. The areas follow the chapters of the regulation set
-- (regulations.lua); the checkpoints are our own wording.
local M = {}

-- One row per area. `importance` and `difficulty` are 1 (low) – 3 (high): how
-- much the area matters for a typical SME and how hard it is to put in place;
-- they rank the gaps (緊急度・重要度・難易度). `owner`: the role the draft
-- makes responsible for the area, who owns its measure in the operation plan
-- (default: the chapter's, regdocs.chapter_owner). `when`: the area is a condition
-- (the company answers whether it applies); `only`: shown for those variants
-- only.
M.areas = {
  -- 総則
  { id = "roles", owner = "representative", chapter = "general", area = "情報セキュリティの責任者と役割",
    point = "情報セキュリティの責任者を誰にするか、また教育・点検・システム管理などの役割を誰が担うかを定めているか",
    importance = 3, difficulty = 1 },
  { id = "rule_scope", chapter = "general", area = "規程の適用範囲と守る義務",
    point = "ルールが誰（パート・派遣を含む）とどの情報に適用され、違反したときにどう扱うかを定めているか",
    importance = 2, difficulty = 1 },

  -- 組織的対策
  { id = "committee", chapter = "organization", area = "対策を決めて進める体制（委員会・会議）",
    point = "情報セキュリティの対策や予算を、経営者を含めて定期的に話し合い、決める場を定めているか",
    importance = 2, difficulty = 1 },
  { id = "inspection", owner = "auditor", chapter = "organization", area = "点検（内部監査）と見直し",
    point = "ルールが守られているかを年に一度以上点検し、結果を経営者に報告して見直す手順を定めているか",
    importance = 3, difficulty = 2 },
  { id = "threat_info", chapter = "organization", area = "脅威や脆弱性の情報の収集と共有",
    point = "IPAやJPCERT/CC、取引銀行などの注意喚起を誰が確かめ、どう社内に伝えるかを定めているか",
    importance = 2, difficulty = 1 },
  { id = "customer_requirements", chapter = "organization", area = "取引先（顧客）からのセキュリティ要求への対応",
    point = "自動車メーカーなどの取引先から求められるセキュリティの基準（自己評価シートなど）に誰がどう対応し、"
      .. "達成状況を管理するかを定めているか",
    importance = 3, difficulty = 2, only = { "automotive" } },

  -- 人的対策
  { id = "hiring", chapter = "human", area = "採用時の秘密保持の約束",
    point = "入社するとき（パート・派遣を含む）に、業務で知った秘密を漏らさないことを誓約書などで約束させることを定めているか",
    importance = 3, difficulty = 1 },
  { id = "staff_duties", chapter = "human", area = "従業員が守る事項と違反時の懲戒",
    point = "従業員がふだん守るべき事項と、違反したときの懲戒を、就業規則などとつながる形で定めているか",
    importance = 3, difficulty = 1 },
  { id = "leaving", chapter = "human", area = "退職時の返却とアカウントの停止",
    point = "退職するときに、貸与物や資料の返却、業務の情報の削除、アカウントの停止、退職後の秘密保持を確かめる手順を定めているか",
    importance = 3, difficulty = 1 },
  { id = "training", owner = "edu", chapter = "human", area = "情報セキュリティ教育",
    point = "全員が年に一度以上、また入社時に情報セキュリティの教育を受けることと、その計画と記録の担当者を定めているか",
    importance = 3, difficulty = 2 },

  -- 情報資産管理
  { id = "inventory", chapter = "assets", area = "情報資産の洗い出しと重要度の分類",
    point = "どんな情報をどこに持っているかを台帳にまとめ、重要度（例：極秘・社外秘・公開）で分ける方法と、台帳の見直しの時期を定めているか",
    importance = 3, difficulty = 2 },
  { id = "handling", chapter = "assets", area = "重要度に応じた取扱い（表示・保管・送付）",
    point = "重要度ごとに、表示のしかた、保管場所、メールやFAXで送るときの注意（暗号化など）を定めているか",
    importance = 2, difficulty = 2 },
  { id = "takeout", chapter = "assets", area = "情報や機器の社外への持ち出し",
    point = "重要な書類、パソコン、USBメモリなどを持ち出すときの許可、記録、紛失を防ぐ対策（暗号化など）を定めているか",
    importance = 3, difficulty = 1 },
  { id = "disposal", owner = "admin", chapter = "assets", area = "書類・媒体・機器の廃棄と再利用",
    point = "書類やパソコン、記憶媒体を捨てる・譲る・返すときに、中の情報を読めなくする方法（シュレッダー、データ消去、物理的破壊など）を定めているか",
    importance = 2, difficulty = 1 },
  { id = "backup", owner = "admin", chapter = "assets", area = "バックアップ",
    point = "どのデータを、どの頻度で、どこに（ネットワークから切り離した複製を含めて）取り、戻せるかをいつ確かめるかを定めているか",
    importance = 3, difficulty = 2 },
  { id = "sensitive_records", owner = "privacy", chapter = "assets", area = "要配慮個人情報（診療・介護記録）の取扱い",
    point = "診療録や介護記録など、病歴を含む情報を見られる人、持ち出しと外部への提供の条件、保存期間と廃棄の方法を定めているか",
    importance = 3, difficulty = 2, only = { "medical" } },
  { id = "client_documents", chapter = "assets", area = "顧客から預かる書類と守秘義務",
    point = "お客様から預かった書類やデータの受け取り、保管、返却・廃棄の手順と、職業上の守秘義務を守るための注意を定めているか",
    importance = 3, difficulty = 1, only = { "professional" } },

  -- アクセス制御及び認証
  { id = "accounts", chapter = "access", area = "アカウント（利用者ID）の登録・変更・削除",
    point = "IDを一人に一つ発行し、共用しないこと、入社・異動・退職のときに誰がいつ登録・変更・削除するかを定めているか",
    importance = 3, difficulty = 1 },
  { id = "authentication", chapter = "access", area = "パスワードと認証",
    point = "パスワードの長さや使い回しの禁止、重要なサービスでの多要素認証の利用、初期パスワードの変更を定めているか",
    importance = 3, difficulty = 1 },
  { id = "access_rights", chapter = "access", area = "アクセス権と共有設定",
    point = "重要な情報を見られる人を必要な人に絞ること、共有フォルダやクラウドの共有設定と管理者権限を定期的に見直すことを定めているか",
    importance = 3, difficulty = 2 },

  -- 物理的対策
  { id = "secure_areas", chapter = "physical", area = "事務所と重要な場所への立ち入り",
    point = "事務所やサーバ・書類を置く場所に入れる人、来訪者の受付と付き添い、最後に出る人の施錠を定めているか",
    importance = 2, difficulty = 2 },
  { id = "equipment_protection", chapter = "physical", area = "機器と書類の盗難・災害への備え",
    point = "パソコンや重要な書類を終業時に施錠保管すること、サーバやネットワーク機器を停電・水・地震から守る置き方を定めているか",
    importance = 2, difficulty = 1 },

  { id = "clear_desk", chapter = "physical", area = "クリアデスク・クリアスクリーン",
    point = "席を離れるときの画面ロック、書類や媒体を机に出したままにしないことを定めているか",
    importance = 2, difficulty = 1 },

  -- IT機器・ソフトウェアの利用
  { id = "software", chapter = "it_use", area = "ソフトウェアの導入・更新とウイルス対策",
    point = "使ってよいソフトと導入の許可、OSやソフトの更新の適用、ウイルス対策ソフトの導入と定義ファイルの更新を定めているか",
    importance = 3, difficulty = 1 },
  { id = "email_web", chapter = "it_use", area = "電子メールとインターネットの利用",
    point = "不審なメールの添付ファイルやリンクの扱い、宛先の確認、業務外のサイト利用の制限、不審なときの報告先を定めているか",
    importance = 3, difficulty = 1 },
  { id = "removable_media", chapter = "it_use", area = "USBメモリなどの記憶媒体の利用",
    point = "業務で使ってよい記憶媒体、会社の機器への私物の媒体の接続の禁止、媒体の管理と暗号化を定めているか",
    importance = 2, difficulty = 1 },
  { id = "sns", owner = "ciso", chapter = "it_use", area = "SNSの利用",
    point = "会社のSNSアカウントの運用と、従業員が個人のSNSで業務の情報やお客様のことを書き込まないことを定めているか",
    importance = 2, difficulty = 1 },
  { id = "byod", chapter = "it_use", area = "私物のパソコン・スマートフォンの業務利用",
    point = "私物の機器を業務に使ってよいか、認める場合の条件（画面ロック、更新、紛失時の連絡、退職時のデータ削除）を定めているか",
    importance = 2, difficulty = 2, when = "byod" },

  -- IT基盤の運用管理
  { id = "network", chapter = "infrastructure", area = "社内ネットワークと無線LANの保護",
    point = "ルーターやUTMなどの境目の守り、無線LANの暗号化と来客用の分離、機器の管理用パスワードの変更を定めているか",
    importance = 3, difficulty = 2 },
  { id = "patching", chapter = "infrastructure", area = "サーバ・ネットワーク機器の更新とサポート終了への対応",
    point = "サーバ、ルーター、VPN機器、NASなどの更新を誰がいつ確かめるか、サポート終了前に入れ替えることを定めているか",
    importance = 3, difficulty = 2 },
  { id = "logging", chapter = "infrastructure", area = "ログの取得と確認",
    point = "どの機器やサービスの記録（ログ）を取り、どれだけの期間保管し、誰が確かめるかを定めているか",
    importance = 2, difficulty = 2 },
  { id = "it_inventory", chapter = "infrastructure", area = "IT機器の台帳管理",
    point = "パソコン、サーバ、ネットワーク機器などを台帳で管理し、導入・移動・廃棄のときに更新することを定めているか",
    importance = 2, difficulty = 1 },
  { id = "website", owner = "ciso", chapter = "infrastructure", area = "自社ウェブサイトの運用",
    point = "ウェブサイトの管理者、CMSや追加機能の更新、通信の暗号化（https）、改ざんに気づく方法、制作会社との分担を定めているか",
    importance = 2, difficulty = 2, when = "website" },
  { id = "control_systems", chapter = "infrastructure", area = "生産設備（制御システム）のネットワークの保護",
    point = "生産設備や制御用パソコンを事務用のネットワークやインターネットから分けること、保守用の接続とUSBメモリの利用の管理を定めているか",
    importance = 3, difficulty = 3, only = { "automotive" } },

  -- クラウドサービスの利用
  { id = "cloud", owner = "ciso", chapter = "cloud", area = "クラウドサービスの選定と利用",
    point = "クラウドサービスを使い始める前の確認（事業者の信頼性、品質の保証、データの保管場所、解約時のデータの扱い）と、"
      .. "利用者と共有設定の管理、利用中のサービスの一覧を定めているか",
    importance = 3, difficulty = 2, when = "cloud" },

  -- テレワーク
  { id = "telework", chapter = "telework", area = "テレワークでの作業",
    point = "テレワークで使ってよい機器と接続方法（VPNなど）、作業場所での画面ののぞき見や会話への注意、公衆無線LANの扱いを定めているか",
    importance = 2, difficulty = 2, when = "telework" },

  -- 委託管理
  { id = "outsourcing", chapter = "outsourcing", area = "業務委託先の選定と管理",
    point = "委託先を選ぶときの確認項目、契約での秘密保持と再委託の条件、事故のときの報告、委託中の確認と終了時のデータの返却・削除を定めているか",
    importance = 3, difficulty = 2, when = "outsourcing" },

  -- システムの開発及び保守
  { id = "development", chapter = "development", area = "システムの開発・変更と保守",
    point = "システムを作る・変えるときのセキュリティ要件の確認、テスト用と本番用の環境の分離、変更の記録、保守用の接続の管理を定めているか",
    importance = 2, difficulty = 3, when = "development" },

  -- 情報セキュリティインシデント対応及び事業継続
  { id = "incident_response", chapter = "incident", area = "事故の報告と初動対応",
    point = "事故やその兆しに気づいた人の報告先、影響の大きさに応じた判断者、ネットワークから切り離すなどの初動と、証拠を残す注意を定めているか",
    importance = 3, difficulty = 2 },
  { id = "incident_contacts", chapter = "incident", area = "社外への連絡と届出",
    point = "お客様・取引先への連絡と公表、個人情報保護委員会への報告、警察やIPAへの相談・届出を誰が判断して行うかと、その連絡先を定めているか",
    importance = 3, difficulty = 1 },
  { id = "continuity", chapter = "incident", area = "復旧と事業継続",
    point = "システムが止まったときに優先して戻す業務、復旧の手順と責任者、代わりの手段、再発防止策のまとめ方を定めているか",
    importance = 2, difficulty = 3 },

  -- 個人番号及び特定個人情報の取扱い
  { id = "mynumber", chapter = "mynumber", area = "マイナンバー（特定個人情報）の取扱い",
    point = "マイナンバーを扱う担当者と事務の範囲、利用目的の制限、保管と廃棄の方法、漏えいしたときの報告を定めているか",
    importance = 3, difficulty = 2, when = "mynumber" },
}

return M
