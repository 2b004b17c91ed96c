using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace KetamineScheduling.Api.Data;

/// <summary>
/// Dapper mappings for <see cref="Guid"/> and the NodaTime types, nullable forms included, and for reading
/// <see cref="int"/> and <see cref="bool"/> from SQLite, which returns every INTEGER as Int64.
/// </summary>
/// <remarks>
/// SQLite has no uuid or date types, so there values are TEXT that sorts in time order:
/// Guid lowercase "D" form, LocalDate <c>2025-03-30</c>, LocalTime <c>09:30:00</c>,
/// LocalDateTime <c>2025-03-30T09:30:00</c>, Instant <c>2025-03-30T08:30:00.000Z</c>.
/// SQL Server gets uniqueidentifier, date, time(0), datetime2(0) and UTC datetime2(3).
/// Times are truncated to whole seconds and instants to milliseconds on both engines.
/// </remarks>
public static class DapperTypeHandlers
{
    private static readonly Lock Gate = new();
    private static bool registered;

    /// <summary>Registers the handlers with Dapper; later calls do nothing.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (registered)
            {
                return;
            }

            // Columns are snake_case and row types PascalCase; matching them here spares every query its aliases.
            DefaultTypeMap.MatchNamesWithUnderscores = true;

            // Dapper's own Guid mapping would win over the handler for parameters, and SQLite would store uppercase text.
            SqlMapper.RemoveTypeMap(typeof(Guid));
            SqlMapper.RemoveTypeMap(typeof(Guid?));
            SqlMapper.AddTypeHandler(GuidHandler);

            // SQL Server rounds to the column's precision where the SQLite text patterns truncate; truncating
            // before binding keeps both engines storing the same value.
            SqlMapper.AddTypeHandler(PatternHandler(
                LocalDatePattern.Iso,
                DbType.Date,
                value => value.ToDateTimeUnspecified(),
                value => LocalDate.FromDateTime((DateTime)value)));
            SqlMapper.AddTypeHandler(PatternHandler(
                LocalTimePattern.CreateWithInvariantCulture("HH':'mm':'ss"),
                DbType.Time,
                value => TimeSpan.FromTicks(TimeAdjusters.TruncateToSecond(value).TickOfDay),
                value => LocalTime.FromTicksSinceMidnight(((TimeSpan)value).Ticks)));
            SqlMapper.AddTypeHandler(PatternHandler(
                LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss"),
                DbType.DateTime2,
                value => value.With(TimeAdjusters.TruncateToSecond).ToDateTimeUnspecified(),
                value => LocalDateTime.FromDateTime((DateTime)value)));
            SqlMapper.AddTypeHandler(InstantHandler);

            // SQLite reads every INTEGER back as Int64, which Dapper will not pass to an int or bool constructor
            // parameter (a positional record). Dapper still binds int and bool parameters itself.
            SqlMapper.AddTypeHandler(new ConvertingHandler<int>());
            SqlMapper.AddTypeHandler(new ConvertingHandler<bool>());
            registered = true;
        }
    }

    private static readonly Handler<Guid> GuidHandler = new(
        value => value.ToString("D"),
        Guid.Parse,
        DbType.Guid,
        value => value,
        value => (Guid)value);

    private static readonly Handler<Instant> InstantHandler = PatternHandler(
        InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'"),
        DbType.DateTime2,
        value => Instant.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds()).ToDateTimeUtc(),
        value => Instant.FromDateTimeUtc(DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc)));

    /// <summary>Sets <paramref name="parameter"/> as Dapper would bind <paramref name="value"/>: for commands kept prepared outside Dapper.</summary>
    public static void SetValue(IDbDataParameter parameter, Guid? value) => SetValue(GuidHandler, parameter, value);

    /// <inheritdoc cref="SetValue(IDbDataParameter, Guid?)"/>
    public static void SetValue(IDbDataParameter parameter, Instant? value) => SetValue(InstantHandler, parameter, value);

    /// <summary>The text SQLite stores for <paramref name="value"/>: for statements stepped outside ADO.NET.</summary>
    public static string SqliteText(Guid value) => GuidHandler.Format(value);

    /// <inheritdoc cref="SqliteText(Guid)"/>
    public static string SqliteText(Instant value) => InstantHandler.Format(value);

    private static void SetValue<T>(Handler<T> handler, IDbDataParameter parameter, T? value)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (value is { } present)
        {
            handler.SetValue(parameter, present);
        }
        else
        {
            parameter.Value = DBNull.Value;
        }
    }

    private static Handler<T> PatternHandler<T>(IPattern<T> pattern, DbType dbType, Func<T, object> toNative, Func<object, T> fromNative) =>
        new(pattern.Format, text => pattern.Parse(text).Value, dbType, toNative, fromNative);

    /// <summary>Text on SQLite (chosen by the parameter's type), the engine's native type elsewhere.</summary>
    private sealed class Handler<T>(
        Func<T, string> format, Func<string, T> parse,
        DbType dbType, Func<T, object> toNative, Func<object, T> fromNative) : SqlMapper.TypeHandler<T>
    {
        public override void SetValue(IDbDataParameter parameter, T? value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = format(value!);
            }
            else
            {
                parameter.DbType = dbType;
                parameter.Value = toNative(value!);
            }
        }

        public override T Parse(object value) => value is string text ? parse(text) : fromNative(value);

        public string Format(T value) => format(value);
    }

    private sealed class ConvertingHandler<T> : SqlMapper.TypeHandler<T>
    {
        public override void SetValue(IDbDataParameter parameter, T? value) => parameter.Value = value;

        public override T Parse(object value) => value is T same ? same : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }
}
