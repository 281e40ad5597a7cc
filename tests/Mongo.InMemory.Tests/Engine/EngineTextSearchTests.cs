using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// Text indexes and $text through the official driver, on the manual's "articles" examples (the results it documents)
/// and with mongod's scores and error codes.
/// </summary>
public sealed class EngineTextSearchTests : OfficialDriverTestBase
{
    private IMongoCollection<O.BsonDocument> _articles = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _articles = Client.GetDatabase("text").GetCollection<O.BsonDocument>("articles");
        await _articles.InsertManyAsync(
        [
            O.BsonDocument.Parse("{ _id: 1, subject: 'coffee', author: 'xyz', views: 50 }"),
            O.BsonDocument.Parse("{ _id: 2, subject: 'Coffee Shopping', author: 'efg', views: 5 }"),
            O.BsonDocument.Parse("{ _id: 3, subject: 'Baking a cake', author: 'abc', views: 90 }"),
            O.BsonDocument.Parse("{ _id: 4, subject: 'baking', author: 'xyz', views: 100 }"),
            O.BsonDocument.Parse("{ _id: 5, subject: 'Café Con Leche', author: 'abc', views: 200 }"),
            O.BsonDocument.Parse("{ _id: 6, subject: 'Сырники', author: 'jkl', views: 80 }"),
            O.BsonDocument.Parse("{ _id: 7, subject: 'coffee and cream', author: 'efg', views: 10 }"),
            O.BsonDocument.Parse("{ _id: 8, subject: 'Cafe con Leche', author: 'xyz', views: 10 }"),
        ]);
    }

    private Task CreateSubjectIndex() => _articles.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ subject: 'text' }")));

    private async Task<List<int>> Ids(string filter)
    {
        var docs = await _articles.Find(O.BsonDocument.Parse(filter)).ToListAsync();
        return docs.Select(d => d["_id"].AsInt32).Order().ToList();
    }

    private async Task<MongoCommandException> Fails(Func<Task> action) => await Assert.ThrowsAsync<MongoCommandException>(action);

    [Fact]
    public async Task A_text_index_is_listed_in_mongods_normalised_form()
    {
        await _articles.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ subject: 'text', author: 'text' }"),
            new CreateIndexOptions { Weights = O.BsonDocument.Parse("{ subject: 10 }") }));
        var indexes = await (await _articles.Indexes.ListAsync()).ToListAsync();
        var text = indexes.Single(i => i["name"] == "subject_text_author_text");
        Assert.Equal(O.BsonDocument.Parse("{ _fts: 'text', _ftsx: 1 }"), text["key"]);
        Assert.Equal(O.BsonDocument.Parse("{ author: 1, subject: 10 }"), text["weights"]);
        Assert.Equal("english", text["default_language"]);
        Assert.Equal("language", text["language_override"]);
        Assert.Equal(3, text["textIndexVersion"]);
    }

    [Fact]
    public async Task A_second_text_index_is_refused()
    {
        await CreateSubjectIndex();
        // The same {_fts, _ftsx} key with other weights: an equivalent index (85); another prefix: the one-per-collection rule (67).
        var same = await Fails(() => _articles.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ author: 'text' }"))));
        Assert.Equal(85, same.Code);
        var other = await Fails(() => _articles.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ views: 1, author: 'text' }"))));
        Assert.Equal(67, other.Code);
        Assert.Equal("only one text index per collection allowed, found existing text index \"subject_text\"", other.ErrorMessage);
    }

    [Theory]
    [InlineData("{ key: { a: 'text' }, name: 'x', weights: { a: 'heavy' } }", 67, "weight for text index needs numeric type")]
    [InlineData("{ key: { a: 'text' }, name: 'x', weights: { a: 100000 } }", 67, "text index weight must be in the exclusive interval (0,100000) but found: 100000")]
    [InlineData("{ key: { a: 'text' }, name: 'x', default_language: 'klingon' }", 67, "default_language is not valid")]
    [InlineData("{ key: { a: 'text' }, name: 'x', language_override: '$lang' }", 67, "language_override is not valid")]
    [InlineData("{ key: { a: 'text' }, name: 'x', textIndexVersion: 1 }", 67, "bad textIndexVersion: 1")]
    [InlineData("{ key: { a: 'text', b: 1, c: 'text' }, name: 'x' }", 67, "'text' fields in index must all be adjacent")]
    [InlineData("{ key: { a: 'text', b: 2 }, name: 'x' }", 67, "expected value 1 or -1 for non-text key in compound index")]
    public async Task Invalid_text_index_specifications_get_mongods_errors(string spec, int code, string message)
    {
        var ex = await Fails(() => Client.GetDatabase("text").RunCommandAsync<O.BsonDocument>(
            new O.BsonDocument { { "createIndexes", "articles" }, { "indexes", new O.BsonArray { O.BsonDocument.Parse(spec) } } }));
        Assert.Equal(code, ex.Code);
        Assert.Equal(message, ex.ErrorMessage);
    }

    [Theory]
    [InlineData("coffee", new[] { 1, 2, 7 })]
    [InlineData("bake coffee cake", new[] { 1, 2, 3, 4, 7 })]
    [InlineData("\\\"coffee shop\\\"", new[] { 2 })]
    [InlineData("coffee -shop", new[] { 1, 7 })]
    [InlineData("café", new[] { 5, 8 })]
    [InlineData("сырники", new[] { 6 })]
    [InlineData("the and a", new int[0])]
    [InlineData("-coffee", new int[0])]
    public async Task Searches_return_the_manuals_documents(string search, int[] expected)
    {
        await CreateSubjectIndex();
        Assert.Equal(expected, await Ids("{ $text: { $search: \"" + search + "\" } }"));
    }

    [Theory]
    [InlineData("{ $search: 'Coffee', $caseSensitive: true }", new[] { 2 })]
    [InlineData("{ $search: '\\\"Café Con Leche\\\"', $caseSensitive: true }", new[] { 5 })]
    [InlineData("{ $search: 'CAFÉ', $diacriticSensitive: true }", new[] { 5 })]
    [InlineData("{ $search: 'leches -cafés', $diacriticSensitive: true }", new[] { 8 })]
    [InlineData("{ $search: 'leche', $language: 'none' }", new int[0])] // the index holds the English stem "lech"
    [InlineData("{ $search: 'lech', $language: 'none' }", new[] { 5, 8 })]
    public async Task Case_and_diacritic_sensitivity_and_language_follow_the_manual(string text, int[] expected)
    {
        await CreateSubjectIndex();
        Assert.Equal(expected, await Ids("{ $text: " + text + " }"));
    }

    [Fact]
    public async Task Text_scores_use_mongods_formula_in_projection_and_sort()
    {
        await CreateSubjectIndex();
        var cake = await _articles.Find(O.BsonDocument.Parse("{ $text: { $search: 'cake' } }"))
            .Project(O.BsonDocument.Parse("{ score: { $meta: 'textScore' } }")).ToListAsync();
        // The manual's example: "Baking a cake" scores 0.75 (one of two terms), and the projection keeps the other fields.
        var only = Assert.Single(cake);
        Assert.Equal(0.75, only["score"].AsDouble);
        Assert.Equal("abc", only["author"].AsString);

        var sorted = await _articles.Find(O.BsonDocument.Parse("{ $text: { $search: 'coffee shopping' } }"))
            .Project(O.BsonDocument.Parse("{ _id: 1, score: { $meta: 'textScore' } }"))
            .Sort(O.BsonDocument.Parse("{ score: { $meta: 'textScore' } }")).ToListAsync();
        // "Coffee Shopping": both terms, each one of two (0.5 × 1/2 + 0.5 = 0.75) → 1.5; "coffee" alone: 1; "coffee and cream": 0.75.
        Assert.Equal([2, 1, 7], sorted.Select(d => d["_id"].AsInt32));
        Assert.Equal([1.5, 1.0, 0.75], sorted.Select(d => d["score"].AsDouble));
    }

    [Fact]
    public async Task Weights_repetition_and_whole_field_matches_change_the_score()
    {
        var notes = Client.GetDatabase("text").GetCollection<O.BsonDocument>("notes");
        await notes.InsertManyAsync(
        [
            O.BsonDocument.Parse("{ _id: 1, title: 'tea', body: 'green tea tea tea' }"),
            O.BsonDocument.Parse("{ _id: 2, title: 'x', body: 'tea' }"),
        ]);
        await notes.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ title: 'text', body: 'text' }"),
            new CreateIndexOptions { Weights = O.BsonDocument.Parse("{ title: 3 }") }));
        var docs = await notes.Find(O.BsonDocument.Parse("{ $text: { $search: 'tea' } }"))
            .Project(O.BsonDocument.Parse("{ score: { $meta: 'textScore' } }")).ToListAsync();
        var scores = docs.ToDictionary(d => d["_id"].AsInt32, d => d["score"].AsDouble);
        // _id 1: title "tea" is the whole field (×1.1), weight 3: 3 × 1 × 1 × 1.1 = 3.3; body: 3 of 4 terms repeated,
        // frequency 1 + 1/2 + 1/4 = 1.75, coefficient 0.5 × 3/4 + 0.5 = 0.875 → 1.53125. _id 2: 1 × 1 × 1.1 = 1.1.
        Assert.Equal(3.3 + 1.53125, scores[1], 10);
        Assert.Equal(1.1, scores[2], 10);
    }

    [Fact]
    public async Task Language_override_fields_choose_each_documents_language()
    {
        var posts = Client.GetDatabase("text").GetCollection<O.BsonDocument>("posts");
        await posts.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ body: 'text' }")));
        await posts.InsertManyAsync(
        [
            O.BsonDocument.Parse("{ _id: 1, body: 'running the race' }"),
            O.BsonDocument.Parse("{ _id: 2, body: 'running the race', language: 'none' }"),
        ]);
        async Task<List<int>> Find(string text) =>
            (await posts.Find(O.BsonDocument.Parse("{ $text: " + text + " }")).ToListAsync()).Select(d => d["_id"].AsInt32).Order().ToList();
        Assert.Equal([1], await Find("{ $search: 'runs' }")); // English stems both to "run"; "none" indexed "running"
        Assert.Equal([2], await Find("{ $search: 'running', $language: 'none' }"));
        Assert.Equal([2], await Find("{ $search: 'the', $language: 'none' }")); // a stop word only in English

        var nonString = await Assert.ThrowsAsync<MongoWriteException>(() => posts.InsertOneAsync(O.BsonDocument.Parse("{ body: 'x', language: 5 }")));
        Assert.Equal(17261, nonString.WriteError.Code);
        var unknown = await Assert.ThrowsAsync<MongoWriteException>(() => posts.InsertOneAsync(O.BsonDocument.Parse("{ body: 'x', language: 'klingon' }")));
        Assert.Equal(17262, unknown.WriteError.Code);
        Assert.Equal("language override unsupported: klingon", unknown.WriteError.Message);
        Assert.Equal(2, await posts.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
    }

    [Fact]
    public async Task Compound_text_indexes_need_equality_on_their_prefix()
    {
        await _articles.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ author: 1, subject: 'text' }")));
        Assert.Equal([1], await Ids("{ author: 'xyz', $text: { $search: 'coffee' } }"));
        var ex = await Fails(() => Ids("{ $text: { $search: 'coffee' } }"));
        Assert.Equal(291, ex.Code);
        Assert.Contains("are equality predicates given for all prefix fields?", ex.ErrorMessage);
    }

    [Fact]
    public async Task Text_queries_in_the_wrong_places_get_mongods_errors()
    {
        var noIndex = await Fails(() => Ids("{ $text: { $search: 'coffee' } }"));
        Assert.Equal(27, noIndex.Code);
        Assert.Equal("text index required for $text query", noIndex.ErrorMessage);
        await CreateSubjectIndex();
        var twice = await Fails(() => Ids("{ $and: [ { $text: { $search: 'a' } }, { $text: { $search: 'b' } } ] }"));
        Assert.Equal((2, "Too many text expressions"), (twice.Code, twice.ErrorMessage));
        var nor = await Fails(() => Ids("{ $nor: [ { $text: { $search: 'coffee' } } ] }"));
        Assert.Equal((2, "text expression not allowed in nor"), (nor.Code, nor.ErrorMessage));
        var elemMatch = await Fails(() => Ids("{ tags: { $elemMatch: { $text: { $search: 'coffee' } } } }"));
        Assert.Equal(224, elemMatch.Code);
        var noScore = await Fails(() => _articles.Find(O.BsonDocument.Parse("{ views: 5 }")).Project(O.BsonDocument.Parse("{ s: { $meta: 'textScore' } }")).ToListAsync());
        Assert.Equal(40218, noScore.Code);
        var language = await Fails(() => Ids("{ $text: { $search: 'coffee', $language: 'xx' } }"));
        Assert.Equal((2, "unsupported language: \"xx\" for text index version 3"), (language.Code, language.ErrorMessage));
        // Spanish is implemented (EngineTextLanguagesTests): its stem of "leche" is the English one, "lech".
        Assert.Equal([5, 8], await Ids("{ $text: { $search: 'leche', $language: 'es' } }"));
        var operand = await Fails(() => Ids("{ $text: { $search: 'coffee', $caseSensitive: 'yes' } }"));
        Assert.Equal(14, operand.Code);
        var missing = await Fails(() => Ids("{ $text: { $language: 'en' } }"));
        Assert.Equal(40414, missing.Code);
    }

    [Fact]
    public async Task Text_under_or_needs_indexed_siblings()
    {
        await CreateSubjectIndex();
        var ex = await Fails(() => Ids("{ $or: [ { $text: { $search: 'coffee' } }, { views: 90 } ] }"));
        Assert.Equal(291, ex.Code);
        await _articles.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{ views: 1 }")));
        Assert.Equal([1, 2, 3, 7], await Ids("{ $or: [ { $text: { $search: 'coffee' } }, { views: 90 } ] }"));
    }

    [Fact]
    public async Task Aggregation_searches_in_its_first_match_and_carries_the_score()
    {
        await CreateSubjectIndex();
        var pipeline = new[]
        {
            O.BsonDocument.Parse("{ $match: { $text: { $search: 'coffee cake' } } }"),
            O.BsonDocument.Parse("{ $unwind: '$author' }"),
            O.BsonDocument.Parse("{ $addFields: { relevance: { $meta: 'textScore' } } }"),
            O.BsonDocument.Parse("{ $project: { subject: 1, relevance: 1, again: { $meta: 'textScore' } } }"),
            O.BsonDocument.Parse("{ $sort: { score: { $meta: 'textScore' }, _id: 1 } }"),
        };
        var docs = await _articles.Aggregate<O.BsonDocument>(pipeline).ToListAsync();
        Assert.Equal([1, 2, 3, 7], docs.Select(d => d["_id"].AsInt32)); // 1 scores 1, the others 0.75 (ties by _id)
        Assert.All(docs, d => Assert.Equal(d["relevance"], d["again"]));

        var late = await Fails(() => _articles.Aggregate<O.BsonDocument>(new[]
        {
            O.BsonDocument.Parse("{ $match: { views: { $gt: 0 } } }"),
            O.BsonDocument.Parse("{ $match: { $text: { $search: 'coffee' } } }"),
        }).ToListAsync());
        Assert.Equal(17313, late.Code);
    }

    [Fact]
    public async Task Explain_reports_a_text_match_over_the_scan_it_really_does()
    {
        await CreateSubjectIndex();
        var explain = await Client.GetDatabase("text").RunCommandAsync<O.BsonDocument>(O.BsonDocument.Parse(
            "{ explain: { find: 'articles', filter: { $text: { $search: 'coffee -shop' } } }, verbosity: 'executionStats' }"));
        var stage = explain["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal("TEXT_MATCH", stage["stage"].AsString);
        Assert.Equal("subject_text", stage["indexName"].AsString);
        Assert.Equal(O.BsonDocument.Parse("{ terms: ['coffe'], negatedTerms: ['shop'], phrases: [], negatedPhrases: [] }"), stage["parsedTextQuery"]);
        // The term map's one positive term is one backward IXSCAN of the text index; the negation is the match's to check.
        Assert.Equal("FETCH", stage["inputStage"]["stage"].AsString);
        var ixscan = stage["inputStage"]["inputStage"].AsBsonDocument;
        Assert.Equal("IXSCAN", ixscan["stage"].AsString);
        Assert.Equal(O.BsonDocument.Parse("{ _fts: 'text', _ftsx: 1 }"), ixscan["keyPattern"]);
        Assert.Equal("backward", ixscan["direction"].AsString);
        var stats = explain["executionStats"].AsBsonDocument;
        Assert.Equal(2, stats["nReturned"].ToInt32());
        Assert.Equal(3, stats["totalDocsExamined"].ToInt32()); // the three coffee articles, not the whole collection
        Assert.Equal(3, stats["totalKeysExamined"].ToInt32());
        Assert.Equal(1, stats["executionStages"]["docsRejected"].ToInt32()); // the coffee shop
    }

    [Fact]
    public async Task Updates_deletes_and_counts_accept_text_filters()
    {
        await CreateSubjectIndex();
        Assert.Equal(3, await _articles.CountDocumentsAsync(O.BsonDocument.Parse("{ $text: { $search: 'coffee' } }")));
        var updated = await _articles.UpdateManyAsync(O.BsonDocument.Parse("{ $text: { $search: 'baking' } }"), O.BsonDocument.Parse("{ $set: { baked: true } }"));
        Assert.Equal(2, updated.ModifiedCount);
        var deleted = await _articles.DeleteManyAsync(O.BsonDocument.Parse("{ $text: { $search: 'leche' } }"));
        Assert.Equal(2, deleted.DeletedCount);
    }

    [Fact]
    public async Task The_official_drivers_text_builders_work_unchanged()
    {
        await CreateSubjectIndex();
        var f = Builders<O.BsonDocument>.Filter;
        var docs = await _articles.Find(f.Text("coffee", new TextSearchOptions { CaseSensitive = false }))
            .Project(Builders<O.BsonDocument>.Projection.MetaTextScore("score"))
            .Sort(Builders<O.BsonDocument>.Sort.MetaTextScore("score"))
            .ToListAsync();
        Assert.Equal([1, 2, 7], docs.Select(d => d["_id"].AsInt32).Take(1).Concat(docs.Skip(1).Select(d => d["_id"].AsInt32).Order()));
        Assert.Equal(1.0, docs[0]["score"].AsDouble);
        Assert.Equal(3, await _articles.CountDocumentsAsync(f.Text("coffee")));
    }
}
