-- The 25-question self-diagnosis of the IPA guideline v3.1 (付録3「5分でできる！
-- 情報セキュリティ自社診断」): its items, its scoring, and three worksheets.
--   M.sheet           the form the company fills in before the first visit;
--   M.summary         the result per part and in total, with a radar chart;
--   M.summary_advice  the items to improve first.
-- The questions and the advice are our own wording, not IPA's text.
-- Change the data here (M.choices, M.points, M.bands, M.items): the Excel
-- formula of the form and the scoring are both built from it.
local dates = require "dates"

local M = {}

-- The answers, in the order of the drop-down, and their points.
M.choices = { "実施している", "一部実施している", "実施していない", "わからない" }
M.points = {
  ["実施している"] = 4,
  ["一部実施している"] = 2,
  ["実施していない"] = 0,
  ["わからない"] = -1,
}
-- Shown for an item with no answer; it counts as 0 points.
M.unanswered = "未回答"
M.unknown_answer = "わからない"

-- The three parts, in order.
M.parts = { "基本的対策", "従業員としての対策", "組織としての対策" }

-- How to read the total: the first band whose `min` the total reaches
-- (the last band has no `min` and takes everything below, negatives too).
-- Each reads as one line of the result sheets' guidance: kept short enough.
M.bands = {
  { min = 100, range = "100点",
    band = "入門レベルの対策はすべてできている",
    advice = "今の状態を保ち、ガイドライン本編の対策に進みましょう。" },
  { min = 70, range = "70〜99点",
    band = "おおむねできているが、一部に抜けがある",
    advice = "点数の低い項目から手を付けて、満点を目指しましょう。" },
  { min = 50, range = "50〜69点",
    band = "できていない対策が多く残っている",
    advice = "改善項目の一覧を上から順に、対策例を参考に改善しましょう。" },
  { range = "49点以下",
    band = "いつ事故が起きてもおかしくない",
    advice = "経営者が率先し、基本的対策（No.1〜5）から改善しましょう。" },
}

-- At most this many items in the list of items to improve.
M.max_weakest = 8

local B, E, O = M.parts[1], M.parts[2], M.parts[3]

M.items = {
  -- 基本的対策 (No.1-5)
  { no = 1, part = B,
    question = "社内のパソコンやスマートフォンでは、OSや業務ソフトの更新を後回しにせず、速やかに適用していますか？",
    advice = "自動更新を有効にし、更新が止まっている機器がないか月に一度は確かめましょう。"
      .. "サポートが終わったOSやソフトは使うのをやめ、乗り換えを計画します。" },
  { no = 2, part = B,
    question = "業務で使うすべてのパソコンやスマートフォンにウイルス対策ソフトが入っていて、定義ファイルが自動で更新されていますか？",
    advice = "全台にウイルス対策ソフトを入れて定義ファイルの自動更新を有効にし、"
      .. "ライセンスの期限切れがないよう機器の一覧で管理しましょう。" },
  { no = 3, part = B,
    question = "機器やサービスのログインに使うパスワードは、十分に長く複雑で、ほかと使い回していないものにしていますか？",
    advice = "短いパスワードや使い回しのパスワードを長く複雑なものに変え、覚えきれない分はパスワード管理ソフトに任せましょう。"
      .. "重要なサービスでは多要素認証も有効にします。" },
  { no = 4, part = B,
    question = "重要な情報を入れたフォルダやクラウドの共有設定は、見る必要のある人だけに絞ってありますか？",
    advice = "共有フォルダやクラウドストレージの共有範囲を棚卸しし、「全員」や「リンクを知っている人」のままの設定を必要な人だけに改めましょう。"
      .. "異動や退職のときに権限を外す手順も決めます。" },
  { no = 5, part = B,
    question = "新しく出てきたウイルスや詐欺メールの手口などを誰かが調べ、社内に知らせて対策をそろえる流れができていますか？",
    advice = "IPAやJPCERT/CCの注意喚起を定期的に確かめる担当者を決め、"
      .. "大事な情報は朝礼やメールで全員に伝えるようにしましょう。" },

  -- 従業員としての対策 (No.6-18)
  { no = 6, part = E,
    question = "見覚えのない相手からのメールや内容に不審な点があるメールの添付ファイル・リンクを、うかつに開かないようにしていますか？",
    advice = "怪しいメールの見分け方と、開いてしまったときの連絡先を全員に知らせましょう。"
      .. "気になるメールは、電話など別の手段で送り主に確かめる習慣をつけます。" },
  { no = 7, part = E,
    question = "メールやFAXを送る前に宛先を確かめるなど、送り間違いを防ぐ工夫をしていますか？",
    advice = "送信前の宛先確認を徹底し、メールソフトの送信保留や社外宛ての警告の機能を使いましょう。"
      .. "FAXの短縮ダイヤルは登録内容を定期的に見直します。" },
  { no = 8, part = E,
    question = "重要な情報をメールで送るときは、本文にそのまま書かずに、暗号化などで保護した形で送っていますか？",
    advice = "重要な情報は本文に書かず、暗号化したファイルにするか、相手を限定できるクラウドストレージの共有で渡しましょう。"
      .. "ファイルにパスワードを付けたときは、同じメールで送らず別の手段で伝えます。" },
  { no = 9, part = E,
    question = "無線LAN（Wi-Fi）は、WPA2やWPA3などの安全な暗号化方式と推測されにくいパスワードで使っていますか？",
    advice = "ルーターの設定を確かめ、暗号化方式をWPA2以上（できればWPA3）に、接続パスワードを推測されにくいものにしましょう。"
      .. "来客用のWi-Fiは業務用と分けます。" },
  { no = 10, part = E,
    question = "業務でのWebサイトの閲覧やSNSへの書き込みが、ウイルス感染や情報漏えいにつながらないよう気をつけていますか？",
    advice = "偽の警告画面が出たときの対処や、仕事に関わることをSNSに書かないことなどをルールにし、従業員に伝えましょう。" },
  { no = 11, part = E,
    question = "大事なデータが消えてしまっても元に戻せるように、定期的にバックアップを取り、別の場所にも保管していますか？",
    advice = "重要なデータを自動で定期的にバックアップし、一部はネットワークから切り離した媒体やクラウドにも保存しましょう。"
      .. "年に一度は実際に戻せるか試します。" },
  { no = 12, part = E,
    question = "重要な書類やUSBメモリなどの記録媒体は、使い終わったら鍵のかかる棚などに戻し、机の上に置いたままにしないようにしていますか？",
    advice = "使い終わった重要書類や媒体は施錠できるキャビネットに戻すことをルールにし、退社時に机の上を確かめましょう。" },
  { no = 13, part = E,
    question = "重要な書類やパソコン、USBメモリなどを社外へ持って出るとき、盗まれたりなくしたりしても被害が広がらない備えをしていますか？",
    advice = "持ち出しは必要なものだけにして記録を残し、パソコンや媒体は暗号化しておきましょう。"
      .. "移動中は身から離さないことも徹底します。" },
  { no = 14, part = E,
    question = "席を外すときは、パソコンの画面をロックして、他人に見られたり操作されたりしないようにしていますか？",
    advice = "離席時の画面ロック（WindowsならWindowsキー＋L）を習慣にし、"
      .. "しばらく操作がないと自動でロックされる設定を全台に入れましょう。" },
  { no = 15, part = E,
    question = "事務所に入れるのは、従業員と、許可を受けた来訪者だけになっていますか？",
    advice = "来訪者には受付で記帳してもらい、執務スペースでは従業員が付き添いましょう。"
      .. "入口の施錠や入退室の仕組みも検討します。" },
  { no = 16, part = E,
    question = "一日の終わりには、ノートパソコンやタブレットなど持ち去られやすい機器を、鍵のかかる場所に片付けていますか？",
    advice = "終業時にノートパソコンやタブレットを施錠できる場所へしまうルールを決め、最後に帰る人が確かめましょう。" },
  { no = 17, part = E,
    question = "事務所を最後に出る人が施錠を確認するなど、鍵のかけ忘れを防ぐ仕組みがありますか？",
    advice = "最終退出者が施錠チェック表に記入する、警備システムを使うなど、鍵のかけ忘れに気づける仕組みを作りましょう。" },
  { no = 18, part = E,
    question = "重要な書類や記録媒体、パソコンを捨てるときは、中身を読み取れないようにしてから処分していますか？",
    advice = "書類はシュレッダーか溶解処理、パソコンや媒体はデータ消去ソフトや物理的な破壊で中身を消しましょう。"
      .. "業者に頼むときは消去の証明書を受け取ります。" },

  -- 組織としての対策 (No.19-25)
  { no = 19, part = O,
    question = "就業規則や入社時の誓約書などで、仕事で知った秘密を社外に話したり持ち出したりしない義務を従業員に伝え、守ってもらっていますか？",
    advice = "就業規則に秘密保持の定めを置き、入社時と退職時に誓約書を取りましょう。"
      .. "何が秘密に当たるのかも具体的に示します。" },
  { no = 20, part = O,
    question = "情報セキュリティについて従業員が学ぶ機会（研修や勉強会）を設け、日頃から注意を呼びかけていますか？",
    advice = "年に一度は全員向けの研修を行い、IPAの動画教材なども使いましょう。"
      .. "新しく入った人には入社時に必ず説明します。" },
  { no = 21, part = O,
    question = "従業員の私物のパソコンやスマートフォンを業務に使ってよいか、使うならどんな条件を守るかを決めていますか？",
    advice = "私物の機器の業務利用を認めるかどうかを決め、認めるなら画面ロック・OSの更新・紛失時の報告などの条件を文書にしましょう。" },
  { no = 22, part = O,
    question = "取引先と重要な情報をやり取りする場合、契約の中で秘密保持を約束してもらっていますか？",
    advice = "取引先と秘密保持契約を結ぶか、今の契約に秘密保持の条項を加えましょう。"
      .. "委託先には情報の扱い方と事故のときの報告も求めます。" },
  { no = 23, part = O,
    question = "クラウドサービスやホームページの運営委託など社外のサービスを選ぶとき、事業者のセキュリティ対策や信頼性を確かめてから決めていますか？",
    advice = "導入の前に、事業者のセキュリティ対策、データの保存場所、障害時の対応、解約時のデータの扱いを確かめましょう。"
      .. "ガイドライン付録の「クラウドサービス安全利用の手引き」が参考になります。" },
  { no = 24, part = O,
    question = "ウイルス感染や情報漏えいなどの事故が起きたとき、誰が何をするかという体制と手順を決めていますか？",
    advice = "事故のときの連絡先（社内の責任者、取引先、警察や公的な相談窓口）と最初にすることを一枚にまとめ、"
      .. "全員が見られる場所に置きましょう。" },
  { no = 25, part = O,
    question = "ここまでのNo.1〜24で挙げた対策を社内の決まりとして文書にし、従業員がいつでも確認できるようにしていますか？",
    advice = "対策をまとめた情報セキュリティ関連規程を作り、従業員に説明しましょう。"
      .. "ガイドライン付録の規程サンプルを元にすれば短い期間で作れます。" },
}

-- Items by number.
M.by_no = {}
for _, it in ipairs(M.items) do
  M.by_no[it.no] = it
end

-- The best points of one item (4 with the default data).
local function top_points()
  local top
  for _, c in ipairs(M.choices) do
    local p = M.points[c]
    if top == nil or p > top then
      top = p
    end
  end
  return top
end

-- The band of a total: the band's entry of M.bands.
function M.band_of(total)
  for _, b in ipairs(M.bands) do
    if b.min == nil or total >= b.min then
      return b
    end
  end
  return M.bands[#M.bands]
end

-- Scores a list of row maps { no = n, answer = "…" | nil }. An item with no
-- row, no answer or an answer that is not one of M.choices counts as 0 and
-- is listed as 未回答.
function M.score(rows)
  local answers = {}
  for _, r in ipairs(rows or {}) do
    local no = math.tointeger(r.no)
    if no and M.by_no[no] then
      answers[no] = r.answer
    end
  end

  local top = top_points()
  local by_part, order = {}, {}
  for _, name in ipairs(M.parts) do
    local p = { part = name, score = 0, max = 0, rate = 0.0 }
    by_part[name] = p
    order[#order + 1] = p
  end

  local total, max, answered = 0, 0, 0
  local unknown, weak, items = {}, {}, {}
  for _, it in ipairs(M.items) do
    local a = answers[it.no]
    local pts = a ~= nil and M.points[a] or nil
    if pts == nil then
      a, pts = M.unanswered, 0
    else
      answered = answered + 1
    end
    local p = by_part[it.part]
    p.score = p.score + pts
    p.max = p.max + top
    total = total + pts
    max = max + top
    items[#items + 1] = { no = it.no, part = it.part, answer = a, points = pts }
    if a == M.unknown_answer then
      unknown[#unknown + 1] = it.no
    end
    if pts < top then
      weak[#weak + 1] = { no = it.no, question = it.question, answer = a, advice = it.advice, pts = pts }
    end
  end
  for _, p in ipairs(order) do
    p.rate = p.max > 0 and p.score / p.max or 0.0
  end

  -- Nothing done or unknown (0 points or less) first, then partly done;
  -- by number within each.
  table.sort(weak, function(x, y)
    local tx, ty = x.pts <= 0 and 1 or 2, y.pts <= 0 and 1 or 2
    if tx ~= ty then
      return tx < ty
    end
    return x.no < y.no
  end)
  local weakest = {}
  for i = 1, math.min(#weak, M.max_weakest) do
    local w = weak[i]
    weakest[i] = { no = w.no, question = w.question, answer = w.answer, advice = w.advice }
  end

  local b = M.band_of(total)
  return {
    total = total,
    max = max,
    band = b.range .. "：" .. b.band,
    band_advice = b.advice,
    parts = order,
    unknown = unknown,
    weakest = weakest,
    answered = answered,
    items = items,
  }
end

-- The Excel formula of the points column, built from M.choices and
-- M.points: IF({answer}="実施している",4,IF(…,"")).
local function excel_string(s)
  return '"' .. s:gsub('"', '""') .. '"'
end

function M.points_formula(ref)
  local f = '""'
  for i = #M.choices, 1, -1 do
    local c = M.choices[i]
    f = string.format("IF(%s=%s,%d,%s)", ref, excel_string(c), M.points[c], f)
  end
  return f
end

-- One guidance line on the points, and the bands, from the data.
local function points_line()
  local parts = {}
  for _, c in ipairs(M.choices) do
    local p = M.points[c]
    parts[#parts + 1] = string.format("%s＝%s点", c, p < 0 and ("−" .. -p) or tostring(p))
  end
  return "点数は" .. table.concat(parts, "、") .. "で、回答を選ぶと自動で計算されます（"
    .. #M.items .. "項目で" .. #M.items * top_points() .. "点満点）。"
end

local function band_lines(prefix)
  local lines = { prefix }
  for _, b in ipairs(M.bands) do
    lines[#lines + 1] = "・" .. b.range .. "：" .. b.band .. "。" .. b.advice
  end
  return lines
end

local function concat(...)
  local out = {}
  for _, l in ipairs({ ... }) do
    for _, s in ipairs(l) do
      out[#out + 1] = s
    end
  end
  return out
end

local light_red = "#F8CBAD"
local light_yellow = "#FFF2CC"
local grey = "#D9D9D9"

-- The form: 25 fixed rows, the company picks an answer in each.
M.sheet = worksheet {
  id = "self-diagnosis",
  file = "5分でできる情報セキュリティ自社診断.xlsx",
  sheet = "自社診断",
  title = "5分でできる！情報セキュリティ自社診断",
  guidance = {
    "25の項目それぞれについて、今の自社の状況にいちばん近いものを「回答」の欄から選んでください。",
    "回答するのは経営者か、社内の対策の状況をよく知っている人（IT担当者や部門の責任者など）です。"
      .. "事業所や部署が複数あるときは、それぞれで回答してもらい、とりまとめ役が一つにまとめてください。",
    "社内のどこでも守られていれば「実施している」、一部の部署・機器・人に限られていれば「一部実施している」を選びます。",
    "状況を確かめられない項目は「わからない」を選んでください。わからない項目は、訪問のときに専門家と一緒に確かめます。",
    points_line(),
  },
  fields = {
    { label = "会社名", value = "company.name" },
    { label = "記入者", input = "text" },
    { label = "記入日", input = "date" },
  },
  columns = {
    { key = "no", header = "No.", type = "integer", width = 5 },
    { key = "part", header = "区分", type = "text", width = 20 },
    { key = "question", header = "診断項目", type = "text", wrap = true, width = 70 },
    { key = "answer", header = "回答", type = "enum", choices = M.choices, required = true, input = true,
      width = 18, help = "一覧から、いちばん近いものを一つ選んでください。" },
    { key = "points", header = "点数", type = "integer", width = 6,
      formula = M.points_formula("{answer}"),
      compute = function(row) return M.points[row.answer] end },
  },
  key = "no",
  rows = function(ctx)
    local rows = {}
    for i, it in ipairs(M.items) do
      rows[i] = { no = it.no, part = it.part, question = it.question }
    end
    return rows
  end,
  fixed_rows = true,
  freeze = true,
  autofilter = false,
  print = { landscape = false, fit_width = true, repeat_header = true },
  protect = true,
  conditional = {
    { column = "answer", equals = "実施していない", fill = light_red },
    { column = "answer", equals = "わからない", fill = light_yellow },
  },
}

-- The result per part, and in total on the last row.
M.summary = worksheet {
  id = "self-diagnosis-summary",
  output = true,
  file = "自社診断結果.xlsx",
  sheet = "診断結果",
  title = "自社診断の結果",
  guidance = concat(
    { "自社診断の回答から、区分ごとの得点と達成率（得点÷満点）を計算しました。最後の行が合計です。",
      "「わからない」は−1点のため、得点や達成率がマイナスになることがあります。" },
    band_lines("合計点の見方：")),
  fields = {
    { label = "会社名", value = "company.name" },
    dates.field("作成日"),
  },
  columns = {
    { key = "part", header = "区分", type = "text", width = 20 },
    { key = "score", header = "得点", type = "integer", width = 8 },
    { key = "max", header = "満点", type = "integer", width = 8 },
    { key = "rate", header = "達成率", type = "number", width = 10, format = "0%",
      formula = "{score}/{max}",
      compute = function(row) return row.score / row.max end },
    { key = "note", header = "評価・要確認の項目", type = "text", wrap = true, width = 60 },
  },
  rows = function(ctx)
    local s = M.score(ctx.records and ctx.records["self-diagnosis"] or {})
    -- The items not fully done, per part and answer, for the note column.
    local top = top_points()
    local notes = {}
    for _, name in ipairs(M.parts) do
      notes[name] = {}
    end
    for _, it in ipairs(s.items) do
      if it.points < top then
        local by = notes[it.part]
        if not by[it.answer] then
          by[it.answer] = {}
          by[#by + 1] = it.answer
        end
        table.insert(by[it.answer], "No." .. it.no)
      end
    end
    -- Answers in the order of M.choices, 未回答 last.
    local rank = { [M.unanswered] = #M.choices + 1 }
    for i, c in ipairs(M.choices) do
      rank[c] = i
    end

    local rows = {}
    for _, p in ipairs(s.parts) do
      local by = notes[p.part]
      table.sort(by, function(x, y) return rank[x] < rank[y] end)
      local parts = {}
      for _, a in ipairs(by) do
        parts[#parts + 1] = a .. "：" .. table.concat(by[a], "、")
      end
      rows[#rows + 1] = {
        part = p.part, score = p.score, max = p.max, rate = p.rate,
        note = #parts > 0 and table.concat(parts, "／") or "すべて実施している",
      }
    end
    local note = s.band .. "。" .. s.band_advice
    if s.answered == 0 then
      note = "自社診断の回答がまだ取り込まれていません。"
    elseif s.answered < #M.items then
      note = note .. "（未回答が" .. (#M.items - s.answered) .. "項目あります）"
    end
    rows[#rows + 1] = { part = "合計", score = s.total, max = s.max, rate = s.total / s.max, note = note }
    return rows
  end,
  freeze = true,
  autofilter = false,
  print = { landscape = true, fit_width = true, repeat_header = true },
  protect = false,
  conditional = {
    { column = "rate", max = 0.4999, fill = light_red },
    { column = "rate", min = 0.5, max = 0.6999, fill = light_yellow },
  },
  charts = {
    { type = "radar", title = "区分別の達成率", categories = "part", values = "rate",
      rows = #M.parts, anchor = "G3", width = 480, height = 320, max = 1, format = "0%" },
  },
}

-- The items to improve first.
M.summary_advice = worksheet {
  id = "self-diagnosis-advice",
  output = true,
  file = "自社診断_改善項目.xlsx",
  sheet = "改善項目",
  title = "自社診断の結果：優先して改善する項目",
  guidance = concat(
    { "自社診断で「実施している」以外の回答だった項目のうち、先に取り組みたいもの（最大"
        .. M.max_weakest .. "項目）と、その対策の例です。",
      "「実施していない」「わからない」と未回答の項目を先に、「一部実施している」を後に、それぞれ番号順に並べています。" },
    band_lines("合計点の見方（自社の合計点と評価は「自社診断の結果」の表にあります）：")),
  fields = {
    { label = "会社名", value = "company.name" },
    dates.field("作成日"),
  },
  columns = {
    { key = "no", header = "No.", type = "integer", width = 5 },
    { key = "question", header = "診断項目", type = "text", wrap = true, width = 50 },
    { key = "answer", header = "回答", type = "text", width = 16 },
    { key = "advice", header = "対策の例", type = "text", wrap = true, width = 60 },
  },
  rows = function(ctx)
    local records = ctx.records and ctx.records["self-diagnosis"] or {}
    local s = M.score(records)
    if #s.weakest == 0 then
      return { { question = "改善が必要な項目はありません（すべての項目で「実施している」）。" } }
    end
    return s.weakest
  end,
  freeze = true,
  autofilter = false,
  print = { landscape = false, fit_width = true, repeat_header = true },
  protect = false,
  conditional = {
    { column = "answer", equals = "実施していない", fill = light_red },
    { column = "answer", equals = M.unanswered, fill = light_red },
    { column = "answer", equals = "わからない", fill = light_yellow },
  },
}

return M
