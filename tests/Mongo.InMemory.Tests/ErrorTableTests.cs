using System.Reflection;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;
using Xunit;

namespace Mongo.InMemory.Tests;

/// <summary>The server's one error table: every factory takes its code's name from it, and the names are mongod's.</summary>
public sealed class ErrorTableTests
{
    [Fact]
    public void Every_named_factory_answers_the_tables_name_for_its_code()
    {
        var factories = typeof(Errors).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(CommandException) && m.GetParameters() is [{ ParameterType: var p, Name: "message" }] && p == typeof(string))
            .ToList();
        Assert.True(factories.Count > 25, "found " + factories.Count + " factories");
        foreach (var factory in factories)
        {
            var error = (CommandException)factory.Invoke(null, ["m"])!;
            Assert.Equal(ErrorCodes.NameOf(error.Code), error.CodeName);
            Assert.False(error.CodeName.StartsWith("Location", StringComparison.Ordinal), factory.Name + " has no name in the table");
            Assert.Equal(factory.Name, error.CodeName, ignoreCase: true);
        }
    }

    // Spot checks against mongod's error_codes.yml.
    [Theory]
    [InlineData(2, "BadValue")]
    [InlineData(15, "Overflow")]
    [InlineData(22, "InvalidBSON")]
    [InlineData(50, "MaxTimeMSExpired")]
    [InlineData(166, "CommandNotSupportedOnView")]
    [InlineData(168, "InvalidPipelineOperator")]
    [InlineData(175, "QueryPlanKilled")]
    [InlineData(225, "TransactionTooOld")]
    [InlineData(238, "NotImplemented")]
    [InlineData(241, "ConversionFailure")]
    [InlineData(263, "OperationNotSupportedInTransaction")]
    [InlineData(292, "CursorInUse")]
    [InlineData(10334, "BSONObjectTooLarge")]
    [InlineData(40414, "Location40414")]
    public void Names_are_mongods(int code, string name)
    {
        Assert.Equal(name, ErrorCodes.NameOf(code));
        Assert.Equal(name, Errors.Of(code, "m").CodeName);
    }
}
