/* Unit tests: err, util, value and jsonv — the small pieces everything uses. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "err.h"
#include "jsonv.h"
#include "util.h"
#include "value.h"

static void test_err_first_wins(void **state)
{
    (void)state;
    bs_err e = {0};
    assert_int_equal(bs_err_set(&e, BS_EINPUT, "first %d", 1), BS_EINPUT);
    bs_err_set(&e, BS_EIO, "second");
    assert_int_equal(e.code, BS_EINPUT);
    assert_string_equal(e.msg, "first 1");
    bs_err_prefix(&e, "台帳!F%d", 12);
    assert_string_equal(e.msg, "台帳!F12: first 1");
    assert_string_equal(bs_strcode(BS_ENOTFOUND), "not found");
    assert_int_equal(bs_err_set(NULL, BS_EIO, "x"), BS_EIO);
}

static void test_err_truncates_on_utf8_boundary(void **state)
{
    (void)state;
    bs_err e = {0};
    bs_buf b = {0};
    for (int i = 0; i < 600; i++) {
        bs_buf_puts(&b, "あ"); // 3 bytes each: 1800 bytes
    }
    bs_err_set(&e, BS_EINPUT, "x%s", b.s);
    bs_buf_free(&b);
    size_t n = strlen(e.msg);
    assert_true(n <= sizeof e.msg - 1);
    assert_true(bs_utf8_valid(e.msg, n));
    // 1 + 3k bytes: the cut removed the incomplete character.
    assert_int_equal((n - 1) % 3, 0);
}

static void test_utf8_truncate(void **state)
{
    (void)state;
    char s[] = "abあい";
    bs_utf8_truncate(s, 4); // would split あ
    assert_string_equal(s, "ab");
    char t[] = "abあい";
    bs_utf8_truncate(t, 5);
    assert_string_equal(t, "abあ");
    assert_false(bs_utf8_valid("\xff", 1));
    assert_false(bs_utf8_valid("\xe3\x81", 2));
    assert_false(bs_utf8_valid("\xc0\xaf", 2)); // overlong
    assert_true(bs_utf8_valid("日本語", strlen("日本語")));
    assert_int_equal(bs_utf8_width("日本a"), 5);
}

/* Where a line of terminal output breaks: at a space or a separator when
 * the line stays half full, between Japanese characters but never before
 * 、。 or a closing bracket, and inside a word only when nothing else fits. */
static void test_wrap_len(void **state)
{
    (void)state;
    assert_int_equal(bs_wrap_len("short", 10), 5);
    assert_int_equal(bs_wrap_len("", 10), 0);
    // "hello world" at 8: breaks after the space (6 of 8 columns used)
    assert_int_equal(bs_wrap_len("hello world", 8), 6);
    // a long word with a space too early: cut at the width
    assert_int_equal(bs_wrap_len("a verylongword", 8), 8);
    assert_int_equal(bs_wrap_len("out/002/assets/x.docx", 12), strlen("out/002/"));
    assert_int_equal(bs_wrap_len("visit-report: x", 10), strlen("visit-"));
    // a space is the better place: a path is not split while one will do
    assert_int_equal(bs_wrap_len("a long DIR/out/", 13), strlen("a long "));
    // a date and its time stay together
    assert_int_equal(bs_wrap_len("a 2026-12-03 10:17", 16), strlen("a 2026-12-"));
    assert_int_equal(bs_wrap_len("visit 3 held", 10), strlen("visit 3 "));
    // Japanese: two columns a character, any two may part
    assert_int_equal(bs_wrap_len("情報資産管理台帳", 7), strlen("情報資"));
    assert_int_equal(bs_wrap_len("情報資産管理台帳", 8), strlen("情報資産"));
    // never 、 or 。 or ） at the start of a line: it stays with what it ends
    assert_int_equal(bs_wrap_len("台帳を作る、確認", 10), strlen("台帳を作"));
    assert_int_equal(bs_wrap_len("台帳を作る。確認", 12), strlen("台帳を作る。"));
    assert_int_equal(bs_wrap_len("（注記）です", 7), strlen("（注"));
    // mixed: a break between an ASCII and a wide character
    assert_int_equal(bs_wrap_len("ab日本語", 5), strlen("ab日"));
    // one character wider than the width still makes progress
    assert_int_equal(bs_wrap_len("日本", 1), strlen("日"));
    // a byte that begins no character is one column, and the rest goes on
    assert_int_equal(bs_wrap_len("\xff\xff" "abc", 3), 3);
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(bs_date_valid("2026-02-28"));
    assert_true(bs_date_valid("2024-02-29"));
    assert_false(bs_date_valid("2026-02-29"));
    assert_false(bs_date_valid("1900-02-29"));
    assert_true(bs_date_valid("2000-02-29"));
    assert_false(bs_date_valid("2026-13-01"));
    assert_false(bs_date_valid("2026-1-01"));
    assert_false(bs_date_valid("tomorrow"));
    assert_false(bs_date_valid("2026-04-31"));
    char today[11];
    bs_date_today(today);
    assert_true(bs_date_valid(today));
}

static void test_parse_int(void **state)
{
    (void)state;
    int64_t v;
    assert_true(bs_parse_int("30,000,000", &v));
    assert_int_equal(v, 30000000);
    assert_true(bs_parse_int("-12", &v));
    assert_int_equal(v, -12);
    assert_false(bs_parse_int("", &v));
    assert_false(bs_parse_int("12a", &v));
    assert_false(bs_parse_int(",12", &v));
    assert_false(bs_parse_int("99999999999999999999", &v));
}

static void test_value_ownership_and_copy(void **state)
{
    (void)state;
    bs_value *m = value_map();
    value_set_str(m, "b", "two");
    value_set_int(m, "a", 1);
    bs_value *l = value_list();
    value_push(l, value_bool(true));
    value_push(l, value_null());
    value_set(m, "c", l);
    value_set_str(m, "b", "zwei"); // replaces and frees the old child
    assert_string_equal(value_get_str(m, "b"), "zwei");
    assert_int_equal(value_len(m), 3);
    bs_value *c = value_copy(m);
    value_free(m);
    value_sort_keys(c);
    assert_string_equal(value_key_at(c, 0), "a");
    assert_string_equal(value_key_at(c, 2), "c");
    assert_true(value_as_bool(value_at(value_get(c, "c"), 0)));
    assert_null(value_get(c, "missing"));
    assert_null(value_at(c, 99));
    assert_null(value_get(value_get(c, "a"), "x")); // not a map
    value_swap(c, 0, 2);
    assert_string_equal(value_key_at(c, 0), "c");
    value_free(c);
    value_free(NULL);
}

static void test_json_roundtrip(void **state)
{
    (void)state;
    const char *text = "{\"name\": \"株式会社A\", \"n\": 3, \"x\": 1.5, \"ok\": true,"
                       " \"list\": [null, \"b\"]}";
    bs_value *v = NULL;
    bs_err e = {0};
    assert_int_equal(jsonv_parse(text, strlen(text), "t.json", &v, &e), BS_OK);
    assert_string_equal(value_get_str(v, "name"), "株式会社A");
    assert_int_equal(value_type(value_get(v, "n")), BS_VINT);
    assert_int_equal(value_type(value_get(v, "x")), BS_VNUM);
    char *out = jsonv_dump(v);
    assert_non_null(strstr(out, "\"name\": \"株式会社A\""));
    free(out);
    value_free(v);

    v = NULL;
    assert_int_equal(jsonv_parse("{\"a\": 1,", 8, "bad.json", &v, &e), BS_EINPUT);
    assert_null(v);
    assert_non_null(strstr(e.msg, "bad.json:1:"));
    bs_err_clear(&e);
    assert_int_equal(jsonv_parse("{\"a\":1,\"a\":2}", 13, "dup.json", &v, &e), BS_EINPUT);
}

static void expect_visible(const char *in, const char *want)
{
    char *got = bs_visible(in);
    assert_string_equal(got, want);
    free(got);
}

static void test_visible(void **state)
{
    (void)state;
    expect_visible("株式会社テスト", "株式会社テスト");
    expect_visible("", "");
    expect_visible("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
    expect_visible("a\nb\rc\td\x7f", "a\\x0ab\\x0dc\\x09d\\x7f");
    expect_visible("C1 \xc2\x9b and \xc2\x85", "C1 \\u009b and \\u0085");
    expect_visible("\xe2\x80\xae" "evil", "\\u202eevil");           // right-to-left override
    expect_visible("a\xe2\x80\xa8" "b", "a\\u2028b");                 // line separator
    expect_visible("stray \x9b\xff byte", "stray \\x9b\\xff byte"); // not UTF-8
    expect_visible("C:\\dir\\x1b", "C:\\dir\\x1b");                 // backslashes as they are
    assert_true(bs_has_control("a\x01"));
    assert_true(bs_has_control("\xff" "a\n"));
    assert_true(bs_has_control("\xc2\x9b"));
    assert_false(bs_has_control("株式会社 \xff"));
    assert_int_equal(bs_utf8_chars("株式会社ab"), 6);
    assert_int_equal(bs_utf8_chars("\xff" "a"), 2);
}

static void test_plain_name(void **state)
{
    (void)state;
    assert_null(bs_plain_name_problem("第{n}回_訪問計画書.docx"));
    assert_null(bs_plain_name_problem("a..b.xlsx"));
    assert_null(bs_plain_name_problem(".hidden"));
    static const char *const bad[][2] = {
        {"", "it is empty"},
        {".", "it is '.'"},
        {"..", "it is '..'"},
        {"../../../../x.xlsx", "it contains '/'"},
        {"/tmp/x.xlsx", "it contains '/'"},
        {"..\\x.xlsx", "it contains '\\'"},
        {"C:x.xlsx", "it contains ':'"},
        {"a|b", "it contains '|'"},
        {"a\nb.docx", "it contains a control character"},
        {"a\xc2\x85" "b", "it contains a control character"},
        {"a\xff", "it is not UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *why = bs_plain_name_problem(bad[i][0]);
        assert_non_null(why);
        assert_string_equal(why, bad[i][1]);
    }
    assert_string_equal(bs_plain_name_problem(NULL), "it is empty");
    char longest[BS_PLAIN_NAME_MAX + 2];
    memset(longest, 'a', sizeof longest);
    longest[BS_PLAIN_NAME_MAX] = '\0';
    assert_null(bs_plain_name_problem(longest));
    longest[BS_PLAIN_NAME_MAX] = 'a';
    longest[BS_PLAIN_NAME_MAX + 1] = '\0';
    assert_string_equal(bs_plain_name_problem(longest), "it is longer than 200 bytes");
}

static void test_relative_path(void **state)
{
    (void)state;
    assert_null(bs_relative_path_problem("common/訪問計画書.docx"));
    assert_null(bs_relative_path_problem("a.docx"));
    assert_string_equal(bs_relative_path_problem("../a.docx"), "it climbs out with '..'");
    assert_string_equal(bs_relative_path_problem("common/../../a.docx"), "it climbs out with '..'");
    assert_string_equal(bs_relative_path_problem("/etc/a.docx"), "it is an absolute path");
    assert_string_equal(bs_relative_path_problem("common//a.docx"), "it is empty");
    assert_string_equal(bs_relative_path_problem("common/"), "it is empty");
    assert_string_equal(bs_relative_path_problem("./a.docx"), "it is '.'");
    assert_string_equal(bs_relative_path_problem(""), "it is empty");
    assert_string_equal(bs_relative_path_problem("a\\b/c"), "it contains '\\'");
}

static void expect_safe(const char *in, size_t max, const char *want)
{
    char *got = bs_safe_name(in, max);
    assert_string_equal(got, want);
    free(got);
}

static void test_safe_name(void **state)
{
    (void)state;
    expect_safe("株式会社テスト製作所", 150, "株式会社テスト製作所");
    expect_safe("X/Y", 150, "X_Y");
    expect_safe("a\x01" "b", 150, "a_b");
    expect_safe("<a>:\"b\"|c?*\\d", 150, "_a___b__c___d");
    expect_safe("..", 150, "");
    expect_safe(".", 150, "");
    expect_safe(". .", 150, "");
    expect_safe("  ", 150, "");
    expect_safe("..hidden. . ", 150, "hidden");
    expect_safe(" lead", 150, " lead");
    expect_safe("a\xff" "b", 150, "a_b");
    expect_safe("a\xc2\x9b" "b", 150, "a_b");
    // Bounded on a character boundary: 3 bytes each, 7 bytes take two.
    expect_safe("あいう", 7, "あい");
    expect_safe("あいう", 9, "あいう");
    expect_safe("ab .cd", 4, "ab"); // trailing space and dot removed after the cut
}

/* The entries of `dir` other than . and .., in byte order, joined by spaces. */
static int by_bytes(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static char *entries(const char *dir)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, by_bytes);
    bs_buf b = {0};
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->d_name, ".") != 0 && strcmp(list[i]->d_name, "..") != 0) {
            bs_buf_printf(&b, "%s%s", b.len ? " " : "", list[i]->d_name);
        }
        free(list[i]);
    }
    free(list);
    return bs_buf_take(&b);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The words of `s` in byte order, joined by spaces. */
static char *sort_words(const char *s)
{
    char *copy = xstrdup(s), *words[16], *save = NULL;
    size_t n = 0;
    for (char *w = strtok_r(copy, " ", &save); w && n < 16; w = strtok_r(NULL, " ", &save)) {
        words[n++] = w;
    }
    qsort(words, n, sizeof *words, by_string);
    bs_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        bs_buf_printf(&b, "%s%s", i ? " " : "", words[i]);
    }
    free(copy);
    return bs_buf_take(&b);
}

static void touch(const char *dir, const char *name)
{
    char *p = xasprintf("%s/%s", dir, name);
    int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "PK", 2), 2);
    close(fd);
    free(p);
}

static void remove_all(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static void test_write_owner_only_whatever_the_umask(void **state)
{
    (void)state;
    char dir[] = "/tmp/bansou-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *sub = xasprintf("%s/a/b", dir), *file = xasprintf("%s/a/b/f.docx", dir);
    bs_err e = {0};
    mode_t old = umask(0277); // leaves the owner without write: mode must not depend on it
    assert_int_equal(bs_mkdir_p(sub, 0700, &e), BS_OK);
    assert_int_equal(bs_write_file_atomic(file, "abc", 3, &e), BS_OK);
    umask(0);
    assert_int_equal(bs_write_file_atomic(file, "abcd", 4, &e), BS_OK);
    umask(old);
    struct stat st;
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, 4);
    char *names = entries(sub);
    assert_string_equal(names, "f.docx"); // the temporary file went into place
    free(names);
    remove_all(dir);
    free(sub);
    free(file);
}

static void test_tmp_sweeps_what_no_writer_holds(void **state)
{
    (void)state;
    char dir[] = "/tmp/bansou-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    touch(dir, ".bansou-tmp-abc123"); // its writer died: no lock on it
    touch(dir, ".bansou-tmp-LOCKED"); // being written: locked
    touch(dir, ".bansou-tmp-toolong");
    touch(dir, "x.bansou-tmp-abc123");
    char *victim = xasprintf("%s/victim", dir), *link = xasprintf("%s/.bansou-tmp-link00", dir);
    touch(dir, "victim");
    assert_int_equal(symlink(victim, link), 0);
    char *locked = xasprintf("%s/.bansou-tmp-LOCKED", dir);
    int fd = open(locked, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    char *file = xasprintf("%s/out.xlsx", dir);
    bs_tmp t;
    bs_err e = {0};
    assert_int_equal(bs_tmp_open(file, &t, &e), BS_OK);
    // Gone: the file nobody holds. Kept: the locked one, the link, the names
    // that are not of the pattern; and the new temporary file is there.
    char *names = entries(dir);
    char *want = xasprintf(".bansou-tmp-LOCKED .bansou-tmp-link00 .bansou-tmp-toolong victim "
                           "x.bansou-tmp-abc123 %s",
                           strrchr(t.tmp, '/') + 1);
    char *sorted = sort_words(want);
    assert_string_equal(names, sorted);
    free(names);
    free(want);
    free(sorted);
    assert_int_equal(bs_tmp_write(&t, "x", 1, &e), BS_OK);
    assert_int_equal(bs_tmp_commit(&t, &e), BS_OK);
    // A second write of this process does not read the folder again; the
    // first of the next process (here a child) does, once the lock is gone.
    touch(dir, ".bansou-tmp-again1");
    assert_int_equal(bs_write_file_atomic(file, "y", 1, &e), BS_OK);
    char *again = xasprintf("%s/.bansou-tmp-again1", dir);
    struct stat st;
    assert_int_equal(lstat(again, &st), 0);
    close(fd);
    pid_t child = fork();
    if (child == 0) {
        _exit(bs_write_file_atomic(file, "z", 1, &e));
    }
    int status = -1;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(lstat(again, &st), -1);
    free(again);
    names = entries(dir);
    assert_string_equal(names, ".bansou-tmp-link00 .bansou-tmp-toolong out.xlsx victim "
                               "x.bansou-tmp-abc123");
    free(names);
    remove_all(dir);
    free(victim);
    free(link);
    free(locked);
    free(file);
}

/* A library that writes the temporary file by name writes what is there:
 * if the name was changed into a link, commit refuses to move it into
 * place and removes it. */
static void test_tmp_commit_refuses_a_replaced_name(void **state)
{
    (void)state;
    char dir[] = "/tmp/bansou-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *file = xasprintf("%s/out.xlsx", dir), *victim = xasprintf("%s/victim", dir);
    touch(dir, "victim");
    bs_tmp t;
    bs_err e = {0};
    assert_int_equal(bs_tmp_open(file, &t, &e), BS_OK);
    assert_int_equal(unlink(t.tmp), 0);
    assert_int_equal(symlink(victim, t.tmp), 0);
    char *tmp = xstrdup(t.tmp);
    assert_int_equal(bs_tmp_commit(&t, &e), BS_EIO);
    char *want = xasprintf("%s: the temporary file %s was replaced while it was written", file,
                           tmp);
    assert_string_equal(e.msg, want);
    char *names = entries(dir);
    assert_string_equal(names, "victim");
    free(names);
    free(want);
    free(tmp);
    remove_all(dir);
    free(file);
    free(victim);
}

/* Each way an amount of yen is written, and what it comes to. */
static void test_parse_yen_accepts(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t yen;
    } ok[] = {
        {"0", 0},
        {"30000000", 30000000},
        {"30,000,000", 30000000},
        {"1,000", 1000},
        {"999", 999},
        {"3000万", 30000000},
        {"3,000万", 30000000},
        {"3億", 300000000},
        {"3億5000万", 350000000},
        {"3億5000万円", 350000000},
        {"3億5000万1200", 350001200},
        {"3億5000万1200円", 350001200},
        {"1億1", 100000001},
        {"2億99999999", 299999999},
        {"1.5億", 150000000},
        {"0.5万", 5000},
        {"1.25万円", 12500},
        {"1.500000000000億", 150000000},
        {"1000円", 1000},
        {"5000万円", 50000000},
        {"3億円", 300000000},
        {"３０００万", 30000000},
        {"３０，０００，０００", 30000000},
        {"３億５０００万円", 350000000},
        {"１．５億", 150000000},
        {"  3000万  ", 30000000},
        {"\t3億\u3000", 300000000},
        {"9223372036854775807", INT64_MAX},
        {"92233720368億5477万5807", INT64_MAX},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        bs_err e = {0};
        int64_t v = -1;
        int rc = bs_parse_yen(ok[i].s, "--capital", &v, &e);
        if (rc != BS_OK || v != ok[i].yen) {
            fail_msg("'%s': rc %d, %lld (expected %lld): %s", ok[i].s, rc, (long long)v,
                     (long long)ok[i].yen, e.msg);
        }
    }
}

/* Each way of not writing an amount of yen, and the message naming it. */
static void test_parse_yen_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",        " ",        "円",        "億",       "万万",     "5万万",     "1.2.3億",
        "lots",    "3兆",      "5000万ドル", "1.5",      "1.5億5000万", "3億1.5万", "1億20000万",
        "1万10000", "3,0000",  "30,00",     ",300",     "300,",      "1,,000",  "3億 5000万",
        "3000万 円", "0x10",   "1e6",       "1.億",     ".5億",      "3万億",   "3億3億",
        "+5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        bs_err e = {0};
        int64_t v = 42;
        assert_int_equal(bs_parse_yen(bad[i], "--capital", &v, &e), BS_EINPUT);
        assert_int_equal(v, 42);
        char want[200];
        snprintf(want, sizeof want,
                 "--capital: '%s' is not an amount in yen (e.g. 30000000, 30,000,000, 3000万, "
                 "3億5000万円)",
                 bad[i]);
        assert_string_equal(e.msg, want);
    }
    static const struct {
        const char *s, *msg;
    } why[] = {
        {"-5", "--capital: '-5': an amount in yen cannot be negative"},
        {"-3億", "--capital: '-3億': an amount in yen cannot be negative"},
        {"−5万", "--capital: '−5万': an amount in yen cannot be negative"},
        {"0.00005万", "--capital: '0.00005万' is not a whole number of yen"},
        {"1.000000001億", "--capital: '1.000000001億' is not a whole number of yen"},
        {"1.00000000001億", "--capital: '1.00000000001億' is not a whole number of yen"},
        {"9223372036854775808", "--capital: '9223372036854775808' is too large an amount in yen"},
        {"99999999999999999999", "--capital: '99999999999999999999' is too large an amount in yen"},
        {"92233720369億", "--capital: '92233720369億' is too large an amount in yen"},
        {"92233720368億5477万5808", "--capital: '92233720368億5477万5808' is too large an amount "
                                    "in yen"},
        {"3億\n", "--capital: '3億\\x0a' is not an amount in yen (e.g. 30000000, 30,000,000, "
                  "3000万, 3億5000万円)"},
    };
    for (size_t i = 0; i < sizeof why / sizeof *why; i++) {
        bs_err e = {0};
        int64_t v = 42;
        assert_int_equal(bs_parse_yen(why[i].s, "--capital", &v, &e), BS_EINPUT);
        assert_int_equal(v, 42);
        assert_string_equal(e.msg, why[i].msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_first_wins),
        cmocka_unit_test(test_err_truncates_on_utf8_boundary),
        cmocka_unit_test(test_utf8_truncate),
        cmocka_unit_test(test_wrap_len),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_parse_yen_accepts),
        cmocka_unit_test(test_parse_yen_refuses),
        cmocka_unit_test(test_value_ownership_and_copy),
        cmocka_unit_test(test_json_roundtrip),
        cmocka_unit_test(test_visible),
        cmocka_unit_test(test_plain_name),
        cmocka_unit_test(test_safe_name),
        cmocka_unit_test(test_relative_path),
        cmocka_unit_test(test_write_owner_only_whatever_the_umask),
        cmocka_unit_test(test_tmp_sweeps_what_no_writer_holds),
        cmocka_unit_test(test_tmp_commit_refuses_a_replaced_name),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
