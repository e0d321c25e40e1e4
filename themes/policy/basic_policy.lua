-- The clauses of a company's 情報セキュリティ基本方針 (theme 1, visit 2).
-- The company picks the commitments its policy makes on the 基本方針 検討シート
-- and may replace the standard wording with its own. The structure follows
-- the usual shape of a basic policy (a preamble, the commitments, the date and
-- the representative's signature); the wording is our own.
-- In every text, {company} is replaced by the company's name.
local M = {}

M.title = "情報セキュリティ基本方針"

-- The opening paragraph; {company} is replaced by the company's name.
M.preamble = "{company}（以下「当社」といいます。）は、お客様からお預かりした情報と当社の情報を、"
  .. "事故や災害、犯罪などの脅威から守ることが、お客様と社会の信頼に応え、事業を続けていくための"
  .. "大切な責務であると考えます。そのため、次の方針を定め、全社を挙げて情報セキュリティに取り組みます。"

-- The commitments, in the order they appear. `standard = true`: recommended
-- for every company (pre-selected on the worksheet).
M.clauses = {
  { id = "management", heading = "経営者の責任", standard = true,
    text = "当社は、経営者が先頭に立って情報セキュリティに取り組み、その取り組みを継続して改善します。"
      .. "そのために必要な人員と費用を確保します。" },
  { id = "scope", heading = "適用範囲", standard = true,
    text = "この方針は、{company}の役員、従業員、パート・アルバイト、派遣社員を含む業務に携わるすべての人と、"
      .. "当社が業務で扱うすべての情報資産に適用します。" },
  { id = "legal", heading = "法令・契約上の要求事項の遵守", standard = true,
    text = "当社は、情報セキュリティと個人情報の保護に関する法令や国の指針、お客様や取引先との契約で定めた事項を守ります。" },
  { id = "organization", heading = "社内体制の整備", standard = true,
    text = "当社は、情報セキュリティの責任者を置いて対策を進める体制を整え、"
      .. "守るべき事項を社内の正式なルールとして定めます。" },
  { id = "education", heading = "従業員の教育", standard = true,
    text = "当社は、業務に携わるすべての人に、情報セキュリティに必要な知識と心構えを身につける教育を継続して行い、"
      .. "一人ひとりがルールを確実に守るよう努めます。" },
  { id = "measures", heading = "情報資産の保護", standard = true,
    text = "当社は、情報資産をその重要さに応じて管理し、漏えい、改ざん、紛失、破損、利用できなくなることを防ぐため、"
      .. "組織、人、技術、物理の面から適切な対策を講じます。" },
  { id = "incident", heading = "事故・違反への対応", standard = true,
    text = "当社は、情報セキュリティの事故やルールへの違反が起きたときは、速やかに対応して被害を最小限に抑え、"
      .. "必要な報告と連絡を行うとともに、原因を明らかにして再発を防ぎます。" },
  { id = "outsourcing", heading = "委託先の管理", standard = false,
    text = "当社は、業務を外部に委託するときは、情報を適切に扱える委託先を選び、"
      .. "守るべき事項を契約で取り決めたうえで、その取り扱いを確かめます。" },
  { id = "customer", heading = "お客様情報の保護", standard = false,
    text = "当社は、お客様や取引先からお預かりした情報を、お預かりした目的の範囲でのみ使い、"
      .. "当社自身の情報と同じかそれ以上の注意を払って守ります。" },
  { id = "improvement", heading = "継続的な見直し・改善", standard = true,
    text = "当社は、情報セキュリティの取り組みが守られ、効果を上げているかを定期的に点検し、"
      .. "事業や脅威の変化に合わせて、この方針と社内のルールを見直して改善します。" },
  { id = "disclosure", heading = "方針の公開と周知", standard = false,
    text = "当社は、この方針を業務に携わるすべての人に周知するとともに、"
      .. "当社のウェブサイトなどで公開し、お客様や取引先にもお知らせします。" },
}

-- Closing line above the date and signature (optional text).
M.closing = "以上の方針を、経営者の責任のもとで実行してまいります。"

return M
