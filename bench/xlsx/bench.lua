-- The benchmark's theme (bench/xlsx/run copies it to WS/themes/bench/theme.lua):
-- the smallest valid theme, with one worksheet of twelve columns, an asset
-- ledger (情報資産台帳) the company fills in with as many rows as it has.
local categories = { "情報", "機器", "記録媒体", "クラウドサービス", "紙の書類" }

return theme {
  id = "bench",
  number = 99,
  title = "ベンチマーク用テーマ",
  audience = "ベンチマークの対象企業",
  effect = "台帳の読み書きの速さが分かる",
  goals = { "目標1", "目標2", "目標3" },
  steps = {
    step {
      title = "第1ステップ",
      prep = { item { id = "b1.prep", company = "台帳を用意する" } },
      onsite = { item { id = "b1.onsite", expert = "台帳を確認する", minutes = 30 } },
    },
    step {
      title = "第2ステップ",
      prep = { item { id = "b2.prep", company = "台帳を更新する" } },
      onsite = { item { id = "b2.onsite", expert = "台帳を確認する", minutes = 30 } },
    },
    step {
      title = "第3ステップ",
      prep = { item { id = "b3.prep", company = "台帳を更新する" } },
      onsite = { item { id = "b3.onsite", expert = "まとめる", minutes = 30 } },
    },
  },
  worksheets = {
    worksheet {
      id = "ledger",
      file = "情報資産台帳.xlsx",
      sheet = "台帳",
      columns = {
        { key = "no", header = "番号", type = "integer", input = true, required = true, width = 8 },
        { key = "name", header = "資産名", type = "text", input = true, required = true, width = 28 },
        { key = "category", header = "分類", type = "enum", choices = categories, input = true,
          required = true, width = 16 },
        { key = "owner", header = "管理者", type = "text", input = true, width = 14 },
        { key = "dept", header = "管理部署", type = "text", input = true, width = 14 },
        { key = "place", header = "保管場所", type = "text", input = true, width = 18 },
        { key = "qty", header = "数量", type = "integer", input = true, width = 6 },
        { key = "acquired", header = "取得日", type = "date", input = true, width = 12 },
        { key = "reviewed", header = "最終確認日", type = "date", input = true, width = 12 },
        { key = "level", header = "重要度", type = "integer", input = true, width = 6 },
        { key = "cost", header = "金額", type = "integer", input = true, width = 10, format = "#,##0" },
        { key = "note", header = "備考", type = "text", input = true, wrap = true, width = 30 },
      },
      min_rows = 0,
      freeze = true,
      autofilter = true,
      protect = false,
    },
  },
}
