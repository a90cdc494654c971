using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace TeamPlatform.Permissions.Domain;

/// <summary>What a member is found by: the beginnings of the words of their username, or of their phone's digits.</summary>
public enum SearchTermKind : short
{
    Name = 1,
    Phone = 2,
}

/// <summary>One thing a member is found by, as the search index stores it.</summary>
public sealed record SearchTerm(SearchTermKind Kind, string Term);

/// <summary>
/// A search as an admin types it: either words (each the beginning of a word of the username, all of them) or the
/// beginning of a phone number in any of the forms people write it.
/// </summary>
/// <param name="Terms">Name terms, folded, longest first; for a phone search the one run of digits.</param>
/// <param name="ExactKey">The whole search folded as a username is: a member whose username folds to it comes first.</param>
public sealed record SearchQuery(SearchTermKind Kind, IReadOnlyList<string> Terms, string? ExactKey);

/// <summary>
/// The member search rule (docs/decisions/0208-member-search-by-word-prefixes.md). Words are the username split on
/// white space, dots, dashes and underscores, folded to lower case without accents ("Åmina" is found by "amina"). A
/// member is stored under every beginning of every word, so a search term is looked up by equality, in username order.
/// </summary>
public static partial class MemberSearch
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Letters that Unicode does not decompose but that people type without their stroke or as two letters.</summary>
    private static readonly FrozenDictionary<char, string> Unstroked = new Dictionary<char, string>
    {
        ['Ø'] = "o", ['ø'] = "o", ['Ł'] = "l", ['ł'] = "l", ['Đ'] = "d", ['đ'] = "d", ['Ħ'] = "h", ['ħ'] = "h",
        ['ı'] = "i", ['ß'] = "ss", ['ẞ'] = "ss", ['Æ'] = "ae", ['æ'] = "ae", ['Œ'] = "oe", ['œ'] = "oe", ['Þ'] = "th", ['þ'] = "th",
    }.ToFrozenDictionary();

    /// <summary>Folds case and accents: what usernames are compared and ordered by.</summary>
    public static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (Decompositions.TryGetValue(c, out var decomposed) || Unstroked.TryGetValue(c, out decomposed))
            {
                folded.Append(decomposed.ToLowerInvariant());
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark))
            {
                folded.Append(char.ToLowerInvariant(c));
            }
        }

        return folded.ToString();
    }

    /// <summary>The folded words of a username, or of what an admin typed.</summary>
    public static IReadOnlyList<string> Words(string text) =>
        Separators().Split(Fold(text)).Where(word => word.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Every term a member with this username and phone is found by.</summary>
    public static IReadOnlyList<SearchTerm> TermsOf(string username, string phone) =>
        [.. NamePrefixes(username).Select(term => new SearchTerm(SearchTermKind.Name, term)),
         .. PhoneForms(phone).Select(form => new SearchTerm(SearchTermKind.Phone, form))];

    /// <summary>Every beginning of every word, whole characters only (a prefix never splits a surrogate pair).</summary>
    public static IEnumerable<string> NamePrefixes(string username)
    {
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(username))
        {
            var length = 0;
            foreach (var rune in word.EnumerateRunes())
            {
                length += rune.Utf16SequenceLength;
                prefixes.Add(word[..length]);
            }
        }

        return prefixes;
    }

    /// <summary>
    /// The digits of the phone as people write it: E.164 without the <c>+</c> (254711555123), the national significant
    /// number (711555123) and the national format (0711555123). A search for a phone matches the beginning of any.
    /// </summary>
    public static IEnumerable<string> PhoneForms(string e164)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal) { Digits(e164) };
        try
        {
            var number = Phones.Parse(e164, null);
            forms.Add(Phones.GetNationalSignificantNumber(number));
            forms.Add(Digits(Phones.Format(number, PhoneNumberFormat.NATIONAL)));
        }
        catch (NumberParseException)
        {
            // A stored phone is E.164 already; one that does not parse is still found by its digits.
        }

        forms.Remove("");
        return forms;
    }

    /// <summary>Null when nothing was typed.</summary>
    public static SearchQuery? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (IsPhone(text))
        {
            var digits = Digits(text);
            return digits.Length == 0 ? null : new SearchQuery(SearchTermKind.Phone, [digits], null);
        }

        // Nothing but separators finds nobody, as a word that begins no username does.
        var words = Words(text);
        return new SearchQuery(
            SearchTermKind.Name,
            words.OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).ToList(),
            Fold(text.Trim()));
    }

    /// <summary>Only digits, <c>+</c>, spaces and dashes: the beginning of a phone number.</summary>
    public static bool IsPhone(string text) =>
        text.Any(char.IsAsciiDigit) && text.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-');

    [GeneratedRegex(@"[\s._-]+")]
    private static partial Regex Separators();

    private static string Digits(string text) => string.Concat(text.Where(char.IsAsciiDigit));
}
