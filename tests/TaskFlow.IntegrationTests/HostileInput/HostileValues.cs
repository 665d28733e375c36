// fixed dates: hostile values sent whatever the day it is: each is judged as input (refused or accepted), none is expected to lie ahead.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <summary>
/// What a hostile client puts where the API expects a value: text the database or a parser chokes on, values at the
/// edges of the calendar and of durations, broken repeat rules, wrong JSON types and nesting deeper than any reader allows.
/// Strings are C# text (lone surrogates included); <see cref="Json"/> writes them as JSON.
/// </summary>
public static partial class HostileValues
{
    /// <summary>Just under the API's 64 KB body limit, so it reaches the field checks; the megabyte one meets the limit.</summary>
    private static readonly string Long = new('x', 60_000);
    private static readonly string Megabyte = new('y', 1 << 20);

    private static readonly string[] Controls = ["\0", "a\0b", "\0\0\0", "x\u0001\u001F", "\u0085", "\t\r\n"];

    private static readonly string[] Surrogates = ["\uD800", "x\uDFFFy", "\uDC00\uD800", "\uDBFF", "ok\uD83D"];

    private static readonly string[] Invisible =
    [
        "\u200B", "name\u200B", "\u202Eevil", "\u2066x\u2069", "\uFEFF", "\u00A0", "\u2028", "\u200D\u200C", "\u061C", "   ", "",
    ];

    private static readonly string[] Strange =
    [
        "e\u0301\u0301\u0301", "😀", "<script>alert(1)</script>", "'; drop table tasks; --", "../../../etc/passwd", "%00", "\\", "\"",
        "null", "{}", "$.title", "ǅ", "İ", "ß",
    ];

    private static readonly string[] Dates =
    [
        "0001-01-01", "9999-12-31", "0001-01-01T00:00", "9999-12-31T23:59", "9999-12-31T23:59:59.9999999", "9999-12-31T23:59:59+14:00",
        "0001-01-01T00:00:00-14:00", "0001-01-01T00:00Z", "9999-12-31T23:59Z", "10000-01-01", "2026-02-29", "2028-02-29", "2027-13-01",
        "2027-03-28T02:30", "2027-00-00", "-2027-01-01", "2027-01-01T24:00", "20270101", "1900-01-01", "1899-12-31T23:59:59Z",
    ];

    private static readonly string[] Durations =
    [
        "P1000Y", "P9999Y", "PT0S", "-PT1M", "P-1D", "P99999999D", "PT2562047788015H", "PT9223372036854775807S", "P1D", "PT15M",
        "1 day", "0 minutes", "1000000 days", "-1 day", "P", "PT", "P1Y2M3W4DT5H6M7.8S",
    ];

    private static readonly string[] Rules =
    [
        "FREQ=DAILY;FREQ=WEEKLY", "FREQ=DAILY;UNTIL=garbage", "FREQ=DAILY;UNTIL=2027-03-05", "FREQ=DAILY;UNTIL=99991231T235959Z",
        "FREQ=DAILY;UNTIL=00010101", "FREQ=SECONDLY", "FREQ=MINUTELY;COUNT=1000000", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;COUNT=0", "FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;INTERVAL=2147483647", "FREQ=YEARLY;BYSETPOS=-366;BYDAY=MO",
        "RRULE:FREQ=DAILY", "FREQ=MONTHLY;BYDAY=53MO", "FREQ=WEEKLY;WKST=XX", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=SU", ";;;", "FREQ=",
        "FREQ=DAILY;COUNT=3;UNTIL=20270305", "FREQ=DAILY;BYHOUR=25", "FREQ=YEARLY;BYYEARDAY=366", "weekdays", "every 0 days",
        "FREQ=DAILY;X-NAME=1", "FREQ=DAILY\nRRULE:FREQ=WEEKLY",
    ];

    private static readonly string[] Zones =
    [
        "Etc/GMT+12", "Etc/GMT-14", "Pacific/Kiritimati", "Pacific/Apia", "UTC", "Nowhere/Land", "../../etc/passwd", "+99:00",
        "Europe/Paris\0", "EUROPE/PARIS", "America/Argentina/ComodRivadavia",
    ];

    private static readonly string[] NumbersAsText =
    [
        "0", "-1", "1.5", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e400", "NaN", "Infinity", "0x10", "٣",
        "24:00", "23:59", "-01:00", "99:99",
    ];

    /// <summary>A hostile string of any kind, each kind as likely as the others (a long list is not let to drown a short one).</summary>
    public static readonly Gen<string> Text = AnyOf(
        Gen.OneOf(Controls), Gen.OneOf(Surrogates), Gen.OneOf(Invisible), Gen.OneOf(Strange), Gen.OneOf(Dates), Gen.OneOf(Durations),
        Gen.OneOf(Rules), Gen.OneOf(Zones), Gen.OneOf(NumbersAsText), Gen.OneOf(Long, Megabyte), Gen.String[Gen.Char, 1, 40]);

    /// <summary>A hostile JSON value of any type: wrong types, numbers past every integer, nesting past the reader's depth.</summary>
    public static readonly Gen<string> JsonValue = AnyOf(
        Text.Select(Json.Quote), Text.Select(Json.Quote), Text.Select(Json.Quote), Text.Select(Json.Quote),
        Gen.OneOf("null", "true", "false", "0", "-1", "1.5", "2147483648", "-9223372036854775809", "1e400", "[]", "{}",
            "[null]", "[[]]", "{\"\":null}", "\"\""),
        Gen.Int[60, 1100].Select(depth => Nested(depth, '[', ']')),
        Gen.Int[60, 200].Select(depth => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)));

    /// <summary>Whole bodies no JSON reader accepts, or that are not UTF-8 at all.</summary>
    public static readonly Gen<byte[]> BrokenBody = Gen.OneOf(
        ""u8.ToArray(), "{"u8.ToArray(), "{\"title\":}"u8.ToArray(), "\0"u8.ToArray(), new byte[] { 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D },
        new byte[] { 0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00 }, "{\"title\":\"a\",\"title\":\"b\"}"u8.ToArray(), "[1,]"u8.ToArray(),
        "{'title':'single quotes'}"u8.ToArray(), Encoding.UTF8.GetBytes(Nested(5000, '[', ']')));

    public static readonly Gen<string> IfMatch =
        Gen.OneOf("*", "", " ", "\"1\"", "\"2\"", "W/\"1\"", "garbage", "\"99999999999\"", "\"-1\"", "\"1\", \"2\"", "\"\"", "\"1");

    public static readonly Gen<string> ContentType = Gen.OneOf(
        "application/json; charset=\"../../\"", "application/json; charset=utf-16", "application/json; charset=nonsense",
        "application/json; charset=", "text/plain", "application/xml", "application/json; charset=utf-8", "application/merge-patch+json");

    /// <summary>Numbers where an id goes: none of them names anything.</summary>
    public static readonly Gen<string> NumericId = AnyOf(
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.OneOf("0", "-1", "9223372036854775807", "9223372036854775808", "1e3"));

    /// <summary>Hostile values shaped like <paramref name="json"/>, a value the API accepted: dates for a date, and so on.</summary>
    public static Gen<string> Like(string json) =>
        DateShaped().IsMatch(json) ? Gen.OneOf(Dates)
        : DurationShaped().IsMatch(json) ? Gen.OneOf(Durations)
        : json.Contains("FREQ", StringComparison.Ordinal) || json.Contains("weekdays", StringComparison.Ordinal) ? Gen.OneOf(Rules)
        : ZoneShaped().IsMatch(json) ? Gen.OneOf(Zones)
        : NumberShaped().IsMatch(json) ? Gen.OneOf(NumbersAsText)
        : AnyOf(Gen.OneOf(Controls), Gen.OneOf(Surrogates), Gen.OneOf(Invisible));

    [GeneratedRegex("""^"\d{4}-\d{2}""")]
    private static partial Regex DateShaped();

    [GeneratedRegex("""^"-?P|^"\d+ (day|minute|hour|week)""")]
    private static partial Regex DurationShaped();

    [GeneratedRegex("""^"[A-Za-z]+/[A-Za-z_/+-]+"$""")]
    private static partial Regex ZoneShaped();

    [GeneratedRegex("""^"?-?\d+(:\d+)?"?$""")]
    private static partial Regex NumberShaped();

    /// <summary>One of <paramref name="gens"/>, each as likely; a generator listed twice is drawn twice as often.</summary>
    public static Gen<T> AnyOf<T>(params Gen<T>[] gens) => Gen.Int[0, gens.Length - 1].SelectMany(i => gens[i]);

    private static string Nested(int depth, char open, char close) => new string(open, depth) + new string(close, depth);
}
