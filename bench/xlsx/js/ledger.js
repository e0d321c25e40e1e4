// The benchmark's data, as ../ledger.py computes it (same values, row by row).
'use strict';
const HEADERS = ['番号', '資産名', '分類', '管理者', '管理部署', '保管場所', '数量', '取得日',
  '最終確認日', '重要度', '金額', '備考'];
const NAMES = ['業務用ノートパソコン', '顧客名簿（Excel）', '会計システム', '受注管理データベース',
  '業務用スマートフォン', '設計図面（CAD）', '社内ファイルサーバー', 'USBメモリ',
  '給与計算データ', '取引先との契約書'];
const CATEGORIES = ['情報', '機器', '記録媒体', 'クラウドサービス', '紙の書類'];
const SURNAMES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤',
  '吉田', '佐々木'];
const GIVEN = ['一郎', '花子', '健一', '真由美', '誠', '恵', '隆', '舞', '翼'];
const DEPTS = ['総務部', '経理部', '営業部', '製造部', '情報システム課', '品質保証部'];
const PLACES = ['本社2階 書庫', '本社サーバー室', '第2工場 事務所', 'クラウド（国内リージョン）',
  '営業所 キャビネット', '社長室 金庫', '各自の机'];
const NOTES = ['年1回棚卸し', '持ち出し時は申請', 'バックアップ対象', 'パスワード付きで保管',
  '廃棄予定（2026年度）'];
const DAY = 86400000;
const ACQUIRED0 = Date.UTC(2015, 0, 1);
const REVIEWED0 = Date.UTC(2024, 3, 1);

// Row i (1-based); dates are JS Dates at UTC midnight.
function row(i) {
  return [
    i,
    `${NAMES[i % 10]} 第${i}号`,
    CATEGORIES[(i * 7) % 5],
    `${SURNAMES[i % 12]} ${GIVEN[(i * 5) % 9]}`,
    DEPTS[(i * 3) % 6],
    PLACES[(i * 11) % 7],
    1 + (i * 13) % 50,
    new Date(ACQUIRED0 + ((i * 37) % 3650) * DAY),
    new Date(REVIEWED0 + ((i * 11) % 540) * DAY),
    1 + i % 3,
    (i * 7919) % 3000000,
    i % 4 === 0 ? '' : NOTES[i % 5],
  ];
}

module.exports = { HEADERS, SHEET: '台帳', ROWS: 10000, row };
