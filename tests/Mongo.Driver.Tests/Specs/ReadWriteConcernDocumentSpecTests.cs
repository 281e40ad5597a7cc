using System.Text.Json;
using Mongo.Bson;
using Xunit;

namespace Mongo.Driver.Tests.Specs;

/// <summary>read-write-concern/tests/document: concern objects to the documents sent to the server.</summary>
public sealed class ReadWriteConcernDocumentSpecTests
{
    public static TheoryData<string, int, string> Cases => SpecJson.Cases("read-write-concern/tests/document");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Document(string file, int index, string description)
    {
        var test = SpecJson.Load(file, index, description);
        bool valid = test.GetProperty("valid").GetBoolean();
        if (test.TryGetProperty("writeConcern", out var wcJson))
        {
            var input = BsonDocument.Parse(wcJson.GetRawText());
            if (!valid)
            {
                Assert.Throws<MongoConfigurationException>(() => WriteConcern.FromBsonDocument(input));
                return;
            }

            var wc = WriteConcern.FromBsonDocument(input);
            Assert.Equal(BsonDocument.Parse(test.GetProperty("writeConcernDocument").GetRawText()), wc.ToBsonDocument());
            Assert.Equal(test.GetProperty("isServerDefault").GetBoolean(), wc.IsServerDefault);
            Assert.Equal(test.GetProperty("isAcknowledged").GetBoolean(), wc.IsAcknowledged);
        }
        else
        {
            var input = BsonDocument.Parse(test.GetProperty("readConcern").GetRawText());
            if (!valid)
            {
                Assert.Throws<MongoConfigurationException>(() => ReadConcern.FromBsonDocument(input));
                return;
            }

            var rc = ReadConcern.FromBsonDocument(input);
            Assert.Equal(BsonDocument.Parse(test.GetProperty("readConcernDocument").GetRawText()), rc.ToBsonDocument());
            Assert.Equal(test.GetProperty("isServerDefault").GetBoolean(), rc.IsServerDefault);
        }
    }
}
