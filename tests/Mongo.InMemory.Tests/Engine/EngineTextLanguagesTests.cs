using Mongo.InMemory.Engine.Text;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// $text in the Snowball languages beyond English, through the official driver: an index's default_language, a
/// document's language field and $language choose the stemmer and mongod's stop words for that language.
/// </summary>
public sealed class EngineTextLanguagesTests : OfficialDriverTestBase
{
    private IMongoCollection<O.BsonDocument> Posts => Client.GetDatabase("text").GetCollection<O.BsonDocument>("posts");

    private async Task<List<int>> Ids(IMongoCollection<O.BsonDocument> collection, string text) =>
        (await collection.Find(O.BsonDocument.Parse("{ $text: " + text + " }")).ToListAsync()).Select(d => d["_id"].AsInt32).Order().ToList();

    [Fact]
    public async Task A_spanish_index_stems_drops_spanish_stop_words_and_ranks_by_score()
    {
        var posts = Posts;
        await posts.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ body: 'text' }"),
            new CreateIndexOptions { DefaultLanguage = "spanish" }));
        await posts.InsertManyAsync(
        [
            O.BsonDocument.Parse("{ _id: 1, body: 'Los niños corren en el parque' }"),
            O.BsonDocument.Parse("{ _id: 2, body: 'El corredor corrió rápidamente' }"),
            O.BsonDocument.Parse("{ _id: 3, body: 'Canciones del parque' }"),
        ]);
        var index = (await (await posts.Indexes.ListAsync()).ToListAsync()).Single(i => i["name"] == "body_text");
        Assert.Equal("spanish", index["default_language"].AsString);

        // "correr", "corren" and "corrió" share the stem "corr"; "canción" and "canciones" the stem "cancion".
        Assert.Equal([1, 2], await Ids(posts, "{ $search: 'correr' }"));
        Assert.Equal([3], await Ids(posts, "{ $search: 'canción' }"));
        // Spanish stop words only: nothing to search for.
        Assert.Empty(await Ids(posts, "{ $search: 'el los en del' }"));

        var ranked = await posts.Find(O.BsonDocument.Parse("{ $text: { $search: 'correr parque' } }"))
            .Project(O.BsonDocument.Parse("{ score: { $meta: 'textScore' } }"))
            .Sort(O.BsonDocument.Parse("{ score: { $meta: 'textScore' } }")).ToListAsync();
        // Stop words do not count as terms: _id 1 has three (niñ, corr, parqu) and matches two, each 0.5 × 1/3 + 0.5;
        // _id 3 has two (cancion, parqu) and matches one, 0.5 × 1/2 + 0.5; _id 2 has three and matches one.
        Assert.Equal([1, 3, 2], ranked.Select(d => d["_id"].AsInt32));
        Assert.Equal([4.0 / 3, 0.75, 2.0 / 3], ranked.Select(d => d["score"].AsDouble), new Tolerance());
    }

    [Theory]
    [InlineData("spanish", "Los niños corren en el parque", "corren", "correr")]
    [InlineData("es", "Los niños corren en el parque", "corren", "correr")]
    [InlineData("french", "Les chevaux galopaient", "chevaux", "cheval")]
    [InlineData("fr", "Les chevaux galopaient", "galopaient", "galoper")]
    [InlineData("portuguese", "As crianças brincavam", "brincavam", "brincar")]
    [InlineData("german", "Die Häuser an der Straße", "Häuser", "Haus")]
    [InlineData("de", "Die Häuser an der Straße", "Straße", "strasse")]
    [InlineData("italian", "I ragazzi mangiavano", "mangiavano", "mangiare")]
    [InlineData("dutch", "De boeken", "boeken", "boek")]
    [InlineData("romanian", "Jocurile copilului", "copilului", "copil")]
    public async Task A_documents_language_field_and_language_choose_the_stemmer(string language, string body, string word, string otherForm)
    {
        var posts = Posts;
        await posts.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ body: 'text' }")));
        await posts.InsertManyAsync(
        [
            new O.BsonDocument { { "_id", 1 }, { "body", body }, { "language", language } },
            new O.BsonDocument { { "_id", 2 }, { "body", body } },
        ]);
        // The document was indexed with its language's stems, so another form of the word finds it in that language
        // (and not the English copy).
        Assert.Equal([1], await Ids(posts, "{ $search: '" + otherForm + "', $language: '" + language + "' }"));
        Assert.Equal([1], await Ids(posts, "{ $search: '" + word + "', $language: '" + language + "' }"));
        // Unstemmed ("none"), the word as written is not what the index holds for it.
        Assert.DoesNotContain(1, await Ids(posts, "{ $search: '" + word + "', $language: 'none' }"));
    }

    [Theory]
    [InlineData("spanish", "el perro y la casa", "el y la")]
    [InlineData("french", "le chat et la maison", "le et la")]
    [InlineData("portuguese", "o gato e a casa", "o e a")]
    [InlineData("german", "der Hund und die Katze", "der und die")]
    [InlineData("italian", "il gatto e la casa", "il e la")]
    [InlineData("dutch", "de hond en het huis", "de en het")]
    [InlineData("romanian", "pisica si cainele", "si")]
    public async Task Stop_word_only_searches_find_nothing_in_their_language(string language, string body, string stopWords)
    {
        var posts = Posts;
        await posts.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ body: 'text' }"),
            new CreateIndexOptions { DefaultLanguage = language }));
        await posts.InsertOneAsync(new O.BsonDocument { { "_id", 1 }, { "body", body } });
        Assert.Empty(await Ids(posts, "{ $search: '" + stopWords + "' }"));
        // Under "none" they are search terms, but the index never stored them.
        Assert.Empty(await Ids(posts, "{ $search: '" + stopWords + "', $language: 'none' }"));
        // The content words are there: the index is not empty.
        Assert.Equal([1], await Ids(posts, "{ $search: '" + body + "' }"));
    }

    [Fact]
    public async Task French_stems_before_diacritics_are_removed()
    {
        var posts = Posts;
        await posts.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ body: 'text' }"),
            new CreateIndexOptions { DefaultLanguage = "french" }));
        await posts.InsertOneAsync(O.BsonDocument.Parse("{ _id: 1, body: \"Des robes élégantes à l'école\" }"));
        // "élégantes" stems to "éleg" (é is a vowel to the stemmer) and is stored as "eleg"; "elegante" stems to "eleg".
        Assert.Equal([1], await Ids(posts, "{ $search: 'elegante' }"));
        Assert.Empty(await Ids(posts, "{ $search: 'elegante', $diacriticSensitive: true }"));
        Assert.Equal([1], await Ids(posts, "{ $search: 'élégante', $diacriticSensitive: true }"));
        // The apostrophe splits French words, and "l" is a French stop word.
        Assert.Equal([1], await Ids(posts, "{ $search: 'écoles' }"));
        Assert.Empty(await Ids(posts, "{ $search: 'l' }"));
    }

    [Fact]
    public async Task Unknown_languages_keep_mongods_errors_and_every_mongod_language_is_implemented()
    {
        var posts = Posts;
        await posts.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ body: 'text' }")));
        var unknown = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(posts, "{ $search: 'x', $language: 'klingon' }"));
        Assert.Equal((2, "unsupported language: \"klingon\" for text index version 3"), (unknown.Code, unknown.ErrorMessage));
        var badIndex = await Assert.ThrowsAsync<MongoCommandException>(() => Client.GetDatabase("text").GetCollection<O.BsonDocument>("other").Indexes
            .CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ body: 'text' }"), new CreateIndexOptions { DefaultLanguage = "klingon" })));
        Assert.Equal((67, "default_language is not valid"), (badIndex.Code, badIndex.ErrorMessage));

        // Every language mongod 8.0 knows is implemented (mongod's 15 and "none"): none is refused or stemmed as another.
        Assert.Empty(TextLanguage.Refused);
        foreach (var name in TextLanguage.Implemented)
        {
            Assert.Equal(name, TextLanguage.Resolve(name, () => new InvalidOperationException(name)).Name);
        }

        Assert.Equal(16, TextLanguage.Implemented.Count() + TextLanguage.Refused.Count()); // mongod's 15 and "none"
    }

    private sealed class Tolerance : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-9;

        public int GetHashCode(double obj) => 0;
    }
}
