using TaskFlow.Components.Accounts;

namespace TaskFlow.UnitTests.Accounts;

public class When_comparing_email_addresses
{
    [TestCase("ada@example.com", "ada@example.com")]
    [TestCase("  Ada@Example.COM ", "ada@example.com")]
    [TestCase("ａｄａ@ｅｘａｍｐｌｅ.ｃｏｍ", "ada@example.com")]
    [TestCase("\ufb01rm@example.com", "firm@example.com")]
    [TestCase("\u212aelvin@example.com", "kelvin@example.com")]
    public void Should_compare_in_NFKC_without_case(string typed, string compared) =>
        Assert.That(EmailAddress.Normalize(typed), Is.EqualTo(compared));

    [Test]
    public void Should_keep_the_case_it_was_typed_in() =>
        Assert.That(EmailAddress.Canonical(" Ａda@Example.com "), Is.EqualTo("Ada@Example.com"));

    [TestCase("name\u200b@example.com")]
    [TestCase("name\u200d@example.com")]
    [TestCase("\u202eexample.com@evil")]
    [TestCase("name\u2066@example.com")]
    [TestCase("name\u0085@example.com")]
    [TestCase("name\ue000@example.com")]
    public void Should_find_hidden_characters(string email) => Assert.That(EmailAddress.HasHiddenCharacters(email), Is.True);

    [TestCase("ada@example.com")]
    [TestCase("josé@exämple.com")]
    [TestCase("用户@例子.广告")]
    public void Should_find_none_in_a_visible_address(string email) => Assert.That(EmailAddress.HasHiddenCharacters(email), Is.False);
}
