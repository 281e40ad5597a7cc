using Mongo.InMemory.Tests.Engine;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Text;

/// <summary>
/// $text in Russian, Swedish, Danish, Norwegian, Finnish, Turkish and Hungarian through the official driver: an index's
/// default_language, a document's language field, the query's $language, stop words and textScore.
/// </summary>
public sealed class TextLanguagesNordicTests : OfficialDriverTestBase
{
    private IMongoCollection<O.BsonDocument> Collection(string name) => Client.GetDatabase("text").GetCollection<O.BsonDocument>(name);

    private static async Task<List<int>> Ids(IMongoCollection<O.BsonDocument> collection, string text) =>
        (await collection.Find(O.BsonDocument.Parse("{ $text: " + text + " }")).ToListAsync()).Select(d => d["_id"].AsInt32).Order().ToList();

    [Fact]
    public async Task A_russian_index_stems_and_filters_with_mongods_russian_rules()
    {
        var books = Collection("books");
        await books.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ content: 'text' }"),
            new CreateIndexOptions { DefaultLanguage = "russian" }));
        await books.InsertManyAsync(
        [
            O.BsonDocument.Parse("{ _id: 1, content: 'Красивые книги лежат на столе' }"),
            O.BsonDocument.Parse("{ _id: 2, content: 'Книга о работе' }"),
            O.BsonDocument.Parse("{ _id: 3, content: 'Работающий человек читает книгу' }"),
            O.BsonDocument.Parse("{ _id: 4, content: 'что это' }"),
            O.BsonDocument.Parse("{ _id: 5, content: 'Ёлка в лесу' }"),
        ]);
        var index = (await (await books.Indexes.ListAsync()).ToListAsync()).Single(i => i["name"] == "content_text");
        Assert.Equal("russian", index["default_language"]);

        Assert.Equal([1, 2, 3], await Ids(books, "{ $search: 'книгами' }")); // книги, книга, книгу → книг
        Assert.Equal([3], await Ids(books, "{ $search: 'работать' }")); // работающий → работа; работе → работ
        Assert.Equal([], await Ids(books, "{ $search: 'и на в о' }")); // stop words only
        // mongod's Russian list has "то" (its "что" lost the "ч"), so "что" is searchable.
        Assert.Equal([4], await Ids(books, "{ $search: 'что' }"));
        // The stemmer sees "ё" and is not told it is "е" (mongod's 2011 libstemmer): "Ёлка" is indexed as "елка",
        // which "ёлка" finds and "елка" (stem "елк") does not.
        Assert.Equal([5], await Ids(books, "{ $search: 'ёлка' }"));
        Assert.Equal([], await Ids(books, "{ $search: 'елка' }"));
    }

    [Fact]
    public async Task Document_languages_and_the_query_language_choose_the_stemmer_and_case_rules()
    {
        var posts = Collection("posts");
        await posts.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ body: 'text' }")));
        await posts.InsertManyAsync(
        [
            O.BsonDocument.Parse("{ _id: 1, body: 'Flickornas läraren', language: 'swedish' }"),
            O.BsonDocument.Parse("{ _id: 2, body: 'IRMAĞIN kenarında', language: 'tr' }"),
            O.BsonDocument.Parse("{ _id: 3, body: 'taloissa', language: 'finnish' }"),
            O.BsonDocument.Parse("{ _id: 4, body: 'házakban', language: 'hungarian' }"),
            O.BsonDocument.Parse("{ _id: 5, body: 'huset', language: 'danish' }"),
            O.BsonDocument.Parse("{ _id: 6, body: 'landsbyene', language: 'nb' }"),
            O.BsonDocument.Parse("{ _id: 7, body: 'läraren' }"),
        ]);

        Assert.Equal([1], await Ids(posts, "{ $search: 'lärare', $language: 'swedish' }")); // lär, stripped to "lar"
        Assert.Equal([2], await Ids(posts, "{ $search: 'ırmak', $language: 'turkish' }"));
        // Turkish folds "I" to "ı": "IRMAK" is "ırmak" in Turkish and "irmak" in English.
        Assert.Equal([2], await Ids(posts, "{ $search: 'IRMAK', $language: 'turkish' }"));
        Assert.Equal([], await Ids(posts, "{ $search: 'IRMAK' }"));
        // Phrases fold with the document's language too.
        Assert.Equal([2], await Ids(posts, "{ $search: '\"ırmağın kenarında\"', $language: 'turkish' }"));
        Assert.Equal([3], await Ids(posts, "{ $search: 'talossa', $language: 'fi' }"));
        Assert.Equal([4], await Ids(posts, "{ $search: 'ház', $language: 'hungarian' }"));
        Assert.Equal([5], await Ids(posts, "{ $search: 'husene', $language: 'danish' }"));
        Assert.Equal([6], await Ids(posts, "{ $search: 'landsby', $language: 'norwegian' }"));
        Assert.Equal([], await Ids(posts, "{ $search: 'och att', $language: 'swedish' }")); // stop words only

        var unknown = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(posts, "{ $search: 'x', $language: 'klingon' }"));
        Assert.Equal((2, "unsupported language: \"klingon\" for text index version 3"), (unknown.Code, unknown.ErrorMessage));
    }

    [Fact]
    public async Task Text_scores_count_stemmed_repeats_without_stop_words()
    {
        var homes = Collection("homes");
        await homes.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ body: 'text' }"),
            new CreateIndexOptions { DefaultLanguage = "hungarian" }));
        await homes.InsertManyAsync(
        [
            O.BsonDocument.Parse("{ _id: 1, body: 'ház és kert' }"),
            O.BsonDocument.Parse("{ _id: 2, body: 'házak a házban' }"),
            O.BsonDocument.Parse("{ _id: 3, body: 'kert' }"),
        ]);
        var sorted = await homes.Find(O.BsonDocument.Parse("{ $text: { $search: 'házakat' } }"))
            .Project(O.BsonDocument.Parse("{ _id: 1, score: { $meta: 'textScore' } }"))
            .Sort(O.BsonDocument.Parse("{ score: { $meta: 'textScore' } }")).ToListAsync();
        // _id 2: "haz" twice among two terms ("a" is a stop word): frequency 1 + 1/2, coefficient 0.5 × 2/2 + 0.5 → 1.5.
        // _id 1: "haz" once among two terms ("és" is a stop word): 1 × (0.5 × 1/2 + 0.5) = 0.75.
        Assert.Equal([2, 1], sorted.Select(d => d["_id"].AsInt32));
        Assert.Equal([1.5, 0.75], sorted.Select(d => d["score"].AsDouble));
    }
}
