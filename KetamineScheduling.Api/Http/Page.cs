using KetamineScheduling.Api.Audit;
using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using System.Text;

namespace KetamineScheduling.Api.Http;

/// <summary>One page of a list. Pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page; null means the end.</summary>
public sealed record Page<T>([property: MaxLength(Cursor.MaxLimit)] IReadOnlyList<T> Items, [property: MaxLength(500)] string? NextCursor) : IPatientScoped
{
    /// <summary>The patients of every item that belongs to one.</summary>
    IEnumerable<Guid> IPatientScoped.Patients => Items.OfType<IPatientScoped>().SelectMany(i => i.Patients);
}

/// <summary>Opaque keyset cursors: the sort key of the last item on a page, so a page never shifts under inserts.</summary>
internal static class Cursor
{
    /// <summary>Items a page holds when the caller names no limit.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The most items one page may hold.</summary>
    public const int MaxLimit = 200;

    public static string Encode(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    /// <summary>The key inside a cursor, or <see langword="null"/> when the cursor is not one this API made.</summary>
    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return "";
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Builds a page from rows fetched with one extra row beyond <paramref name="limit"/>.</summary>
    public static Page<TOut> Paginate<TRow, TOut>(IReadOnlyList<TRow> rows, int limit, Func<TRow, string> key, Func<TRow, TOut> map)
    {
        var items = rows.Take(limit).Select(map).ToList();
        var next = rows.Count > limit ? Encode(key(rows[limit - 1])) : null;
        return new Page<TOut>(items, next);
    }
}
