using System.Globalization;
using System.Text;

namespace TaskFlow.Components.Accounts;

/// <summary>
/// E-mail addresses as a person reads them. Compatibility forms (fullwidth letters, ligatures, the Kelvin sign)
/// are kept and compared in their NFKC form, and compared without case, so one address cannot be registered again
/// in a form that looks the same. Characters a reader cannot see or that reorder what is shown (format characters,
/// the bidi controls among them, and controls) are refused outright.
/// </summary>
public static class EmailAddress
{
    /// <summary>The form kept and shown: trimmed, NFKC.</summary>
    public static string Canonical(string email) => email.Trim().Normalize(NormalizationForm.FormKC);

    /// <summary>The form compared: canonical and lower-cased, as migration 0013 computes it for older accounts.</summary>
    public static string Normalize(string email) => Canonical(email).ToLowerInvariant();

    public static bool HasHiddenCharacters(string email) =>
        email.EnumerateRunes().Any(rune => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
}
