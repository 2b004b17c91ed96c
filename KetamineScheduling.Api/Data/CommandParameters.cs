using System.Data;
using System.Data.Common;

namespace KetamineScheduling.Api.Data;

/// <summary>Parameters of commands kept and run again outside Dapper, which are made once and given new values per run.</summary>
internal static class CommandParameters
{
    /// <summary>Adds the parameter <paramref name="name"/> of <paramref name="type"/> to <paramref name="command"/>, and returns it.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
