using TaskFlow.Api.Infrastructure;

namespace TaskFlow.UnitTests.Infrastructure;

public class When_checking_text_PostgreSQL_must_store
{
    [TestCase("")]
    [TestCase("plain")]
    [TestCase("accents é and CJK 漢字")]
    [TestCase("a whole pair \ud83d\ude00 is an emoji")]
    [TestCase("\ud83d\ude00\ud83d\ude00")]
    public void Should_take_well_formed_text(string text) => Assert.That(StorableText.IsStorable(text), Is.True);

    // One test over the cases: as test arguments, half a pair does not survive (attributes are stored as UTF-8, and the
    // test runner drops a case whose name it cannot encode).
    [Test]
    public void Should_refuse_NUL_and_half_a_surrogate_pair()
    {
        string[] unstorable =
        [
            "\u0000", "a\u0000b", "\ud800", "a high half \ud83d alone", "a low half \ude00 alone", "reversed \ude00\ud83d",
            "a pair \ud83d\ude00 then half \ud83d",
        ];

        Assert.That(unstorable.Where(t => StorableText.IsStorable(t)).Select(t => string.Join(" ", t.Select(c => $"U+{(int)c:X4}"))), Is.Empty);
    }
}
