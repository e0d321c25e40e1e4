"""The benchmark's data: an asset ledger (情報資産台帳) of N rows × 12 columns,
the same values in every engine (js/ledger.js computes the same rows).
Python standard library only."""
import datetime

HEADERS = ["番号", "資産名", "分類", "管理者", "管理部署", "保管場所", "数量", "取得日",
           "最終確認日", "重要度", "金額", "備考"]
KEYS = ["no", "name", "category", "owner", "dept", "place", "qty", "acquired", "reviewed",
        "level", "cost", "note"]
SHEET = "台帳"
ROWS = 10000

NAMES = ["業務用ノートパソコン", "顧客名簿（Excel）", "会計システム", "受注管理データベース",
         "業務用スマートフォン", "設計図面（CAD）", "社内ファイルサーバー", "USBメモリ",
         "給与計算データ", "取引先との契約書"]
CATEGORIES = ["情報", "機器", "記録媒体", "クラウドサービス", "紙の書類"]
SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
            "吉田", "佐々木"]
GIVEN = ["一郎", "花子", "健一", "真由美", "誠", "恵", "隆", "舞", "翼"]
DEPTS = ["総務部", "経理部", "営業部", "製造部", "情報システム課", "品質保証部"]
PLACES = ["本社2階 書庫", "本社サーバー室", "第2工場 事務所", "クラウド（国内リージョン）",
          "営業所 キャビネット", "社長室 金庫", "各自の机"]
NOTES = ["年1回棚卸し", "持ち出し時は申請", "バックアップ対象", "パスワード付きで保管",
         "廃棄予定（2026年度）"]
ACQUIRED0 = datetime.date(2015, 1, 1)
REVIEWED0 = datetime.date(2024, 4, 1)
EPOCH = datetime.date(1899, 12, 30)  # Excel serial 0 (1900 system, after Feb 1900)


def row(i):
    """Row i (1-based): no, name, category, owner, dept, place, qty, acquired
    (date), reviewed (date), level, cost, note ("" when there is none)."""
    return [
        i,
        "%s 第%d号" % (NAMES[i % 10], i),
        CATEGORIES[(i * 7) % 5],
        "%s %s" % (SURNAMES[i % 12], GIVEN[(i * 5) % 9]),
        DEPTS[(i * 3) % 6],
        PLACES[(i * 11) % 7],
        1 + (i * 13) % 50,
        ACQUIRED0 + datetime.timedelta(days=(i * 37) % 3650),
        REVIEWED0 + datetime.timedelta(days=(i * 11) % 540),
        1 + i % 3,
        (i * 7919) % 3000000,
        "" if i % 4 == 0 else NOTES[i % 5],
    ]


def normal(i):
    """Row i as the readers report it: dates as YYYY-MM-DD."""
    return [v.isoformat() if isinstance(v, datetime.date) else v for v in row(i)]


def serial(d):
    return (d - EPOCH).days


SAMPLE = [1, 2, 3, 4, 999, 5000, 9999, 10000]  # rows the checks compare cell by cell
