using TeamPlatform.Permissions.Domain;
using Xunit;

namespace TeamPlatform.Permissions.Tests.Domain;

public sealed class MemberSearchTests
{
    [Theory]
    [InlineData("Amina Wanjiru", new[] { "amina", "wanjiru" })]
    [InlineData("brian.okafor_2-x", new[] { "brian", "okafor", "2", "x" })]
    [InlineData("  Åmina  Núñez ", new[] { "amina", "nunez" })]
    [InlineData("ÉMILE émile", new[] { "emile" })]
    [InlineData("Ｆｕｌｌ ﬁne", new[] { "full", "fine" })]
    [InlineData("Zoë Ørsted-Łukasz Straße Æsa", new[] { "zoe", "orsted", "lukasz", "strasse", "aesa" })]
    [InlineData("Ελένη Ёлка", new[] { "ελενη", "елка" })]
    [InlineData("--..__", new string[0])]
    public void Words_split_on_spaces_dots_dashes_and_underscores_and_fold_case_and_accents(string username, string[] words) =>
        Assert.Equal(words, MemberSearch.Words(username));

    [Fact]
    public void A_member_is_indexed_under_every_beginning_of_every_word()
    {
        Assert.Equal(["a", "am", "ami", "b", "bo"], MemberSearch.NamePrefixes("Ami bo.am").Order(StringComparer.Ordinal));
        // Whole characters: a beginning never ends half way through a surrogate pair.
        Assert.Equal(["x", "x😀", "x😀y"], MemberSearch.NamePrefixes("x😀y"));
    }

    [Fact]
    public void A_phone_is_indexed_in_e164_digits_national_significant_number_and_national_format()
    {
        Assert.Equal(["0711555123", "254711555123", "711555123"], MemberSearch.PhoneForms("+254711555123").Order(StringComparer.Ordinal));
        Assert.Equal(["2025550123", "12025550123"], MemberSearch.PhoneForms("+12025550123").OrderBy(f => f.Length));
    }

    [Fact]
    public void Digits_plus_spaces_and_dashes_search_phones_and_anything_else_searches_names()
    {
        var phone = MemberSearch.Parse("+254 711")!;
        Assert.Equal((SearchTermKind.Phone, "254711", null), (phone.Kind, Assert.Single(phone.Terms), phone.ExactKey));
        Assert.Equal(["0711555"], MemberSearch.Parse("0711-555")!.Terms);
        Assert.Equal(SearchTermKind.Name, MemberSearch.Parse("amina 0711")!.Kind);
        Assert.Null(MemberSearch.Parse("  "));
        Assert.Equal(["+"], MemberSearch.Parse(" - + ")!.Terms);
        Assert.Empty(MemberSearch.Parse(".._")!.Terms);
    }

    [Fact]
    public void A_name_search_keeps_its_terms_longest_first_and_the_whole_text_folded_for_exact_matches()
    {
        var search = MemberSearch.Parse(" Wan ÅMINA.b wan ")!;

        Assert.Equal(SearchTermKind.Name, search.Kind);
        Assert.Equal(["amina", "wan", "b"], search.Terms);
        Assert.Equal("wan amina.b wan", search.ExactKey);
        Assert.Equal(MemberSearch.Fold("Wan Åmina.B wan"), search.ExactKey);
    }
}
