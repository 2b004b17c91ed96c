using Hl7.Fhir.Model;

namespace KetamineScheduling.Api.Fhir;

/// <summary>Searchset Bundles (FHIR R4 §3.1.1.2): the page's matches, how many match in all, and the next page's link.</summary>
internal static class FhirBundles
{
    /// <summary>
    /// A searchset of <paramref name="resources"/>, <paramref name="total"/> matches in all; <paramref name="nextQuery"/>,
    /// when there are more, is the next page's query on the same path.
    /// </summary>
    public static Bundle Searchset(HttpRequest request, IEnumerable<Resource> resources, int total, string? nextQuery)
    {
        var baseUrl = FhirWire.BaseUrl(request);
        var path = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}";
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Total = total,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = path + request.QueryString }],
            Entry = [.. resources.Select(r => new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{r.TypeName}/{r.Id}",
                Resource = r,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            })],
        };
        if (nextQuery is not null)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = path + nextQuery });
        }

        return bundle;
    }

    /// <summary>
    /// One page of rows read with one more than <paramref name="take"/>: the next link continues after the page's
    /// last row, by its <paramref name="key"/>.
    /// </summary>
    public static Bundle Page<TRow>(HttpRequest request, FhirSearch search, IReadOnlyList<TRow> rows, int take, int total, Func<TRow, string> key, Func<TRow, Resource> map) =>
        Searchset(request, rows.Take(take).Select(map), total, take > 0 && rows.Count > take ? search.NextQuery(key(rows[take - 1])) : null);

    /// <summary>One page of a list computed whole: the cursor is the offset of the page's first item.</summary>
    public static Bundle Page<TItem>(HttpRequest request, FhirSearch search, IReadOnlyList<TItem> all, int offset, int take, Func<TItem, Resource> map) =>
        Searchset(request, all.Skip(offset).Take(take).Select(map), all.Count, take > 0 && offset + take < all.Count
            ? search.NextQuery((offset + take).ToString(System.Globalization.CultureInfo.InvariantCulture))
            : null);
}
