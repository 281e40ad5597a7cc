using System.Text.Json;
using Xunit;

namespace Mongo.Driver.Tests.Specs;

/// <summary>read-write-concern/tests/connection-string (strict parsing: invalid values are errors there).</summary>
public sealed class ReadWriteConcernSpecTests
{
    public static TheoryData<string, int, string> ConnectionStringCases => SpecJson.Cases("read-write-concern/tests/connection-string");

    [SkippableTheory]
    [MemberData(nameof(ConnectionStringCases))]
    public void ConnectionString(string file, int index, string description)
    {
        var test = SpecJson.Load(file, index, description);
        var url = SpecOptions.ParseAndCheck(test, MongoUrlParseOptions.Default);
        if (url is null)
        {
            return;
        }

        if (!test.IsNull("readConcern"))
        {
            var rc = test.GetProperty("readConcern");
            Assert.Equal(rc.TryGetProperty("level", out var level) ? level.GetString() : null, url.ReadConcern.Level);
            Assert.Equal(rc.EnumerateObject().Any(), !url.ReadConcern.IsServerDefault);
        }

        if (!test.IsNull("writeConcern"))
        {
            var wc = test.GetProperty("writeConcern");
            var actual = url.WriteConcern;
            int count = 0;
            foreach (var p in wc.EnumerateObject())
            {
                count++;
                object? value = p.Name switch
                {
                    "w" => actual.W is { } w ? (w.Number is { } n ? n : w.Mode) : null,
                    "wtimeoutMS" => actual.WTimeout is { } t ? (long)t.TotalMilliseconds : null,
                    "journal" => actual.Journal,
                    _ => throw new InvalidOperationException("unknown write concern field " + p.Name),
                };
                SpecJson.AssertEqual(p.Value, value, "writeConcern." + p.Name);
            }

            Assert.Equal(count == 0, actual.IsServerDefault);
        }
    }
}
