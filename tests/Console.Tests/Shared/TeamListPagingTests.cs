using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;
using TeamPlatform.Console.Components.Shared;
using TeamPlatform.Console.Infrastructure.Api;
using Xunit;

namespace TeamPlatform.Console.Tests.Shared;

public sealed class TeamListPagingTests : BunitContext
{
    public TeamListPagingTests()
    {
        Services.AddFluentUIComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public async Task The_pager_says_a_count_that_stopped_is_at_least_that_many()
    {
        var state = new PaginationState { ItemsPerPage = 25 };
        await state.SetTotalItemCountAsync(1_026);

        var counted = Render<Pager>(p => p.Add(x => x.State, state).Add(x => x.Noun, "member").Add(x => x.AtLeast, 1_000));
        var exact = Render<Pager>(p => p.Add(x => x.State, state).Add(x => x.Noun, "member"));

        Assert.Equal("1,000+ members", counted.Find(".pager-count").TextContent);
        Assert.Equal("1026 members", exact.Find(".pager-count").TextContent);
    }

    [Fact]
    public void A_query_with_a_cursor_asks_for_the_page_after_it_instead_of_a_page_number()
    {
        var query = new MemberQuery(Status: "active", Search: " amina ", Page: 41, PageSize: 25);

        Assert.Equal("/api/members?page=41&pageSize=25&status=active&q=amina", query.ToPath());
        Assert.Equal("/api/members?pageSize=25&after=eyJwIjo0MX0&status=active&q=amina", (query with { After = "eyJwIjo0MX0" }).ToPath());
    }
}
