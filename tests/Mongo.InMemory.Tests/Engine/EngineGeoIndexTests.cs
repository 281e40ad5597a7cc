using Mongo.InMemory;
using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// The geo indexes' cell tree: $near/$nearSphere read it ring by ring and $geoWithin/$geoIntersects read the cells of
/// their region, and every answer equals a collection scan's. The scan's answers come from a twin collection whose geo
/// index has a partial filter (such an index does not file every document, so $near measures every document and the
/// geo operators scan, as before the cells existed). Random points, lines, polygons and multi-locations cluster at the
/// poles, along the antimeridian and on shared points (distance ties), and the twins go through the same updates,
/// replacements and deletes. Driven by the official MongoDB.Driver 3.14.0.
/// </summary>
public sealed class EngineGeoIndexTests : OfficialDriverTestBase
{
    private const string EverythingPartial = "{ _id: { $exists: true } }";

    private IMongoDatabase Db => Client.GetDatabase("geocells");

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private static double Clamp(double v, double lo, double hi) => Math.Max(lo, Math.Min(hi, v));

    private static double WrapLon(double lon) => lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;

    private static O.BsonArray Pos(double lon, double lat) => new() { WrapLon(lon), Clamp(lat, -90, 90) };

    // A position in one of the awkward places as often as anywhere else.
    private static (double Lon, double Lat) Place(Random rng, List<(double, double)> used)
    {
        switch (rng.Next(6))
        {
            case 0:
                return (Math.Round((rng.NextDouble() * 2) - 1, 3) + (rng.Next(2) == 0 ? 179.5 : -179.5), (rng.NextDouble() * 120) - 60);
            case 1:
                return ((rng.NextDouble() * 360) - 180, (rng.Next(2) == 0 ? 1 : -1) * (84 + (rng.NextDouble() * 6)));
            case 2:
                return (-73.97 + (rng.NextDouble() * 0.1), 40.77 + (rng.NextDouble() * 0.1));
            case 3 when used.Count > 0:
                return used[rng.Next(used.Count)]; // the same point again: equal distances
            default:
                return ((rng.NextDouble() * 360) - 180, (rng.NextDouble() * 180) - 90);
        }
    }

    private static O.BsonDocument Point((double Lon, double Lat) p) => new() { { "type", "Point" }, { "coordinates", Pos(p.Lon, p.Lat) } };

    private static O.BsonArray Square(double lon, double lat, double size)
    {
        lat = Clamp(lat, -88 + size, 88 - size);
        return new O.BsonArray
        {
            new O.BsonArray { Pos(lon - size, lat - size), Pos(lon + size, lat - size), Pos(lon + size, lat + size), Pos(lon - size, lat + size), Pos(lon - size, lat - size) },
        };
    }

    private static O.BsonValue SphereLocation(Random rng, List<(double, double)> used)
    {
        var p = Place(rng, used);
        used.Add(p);
        return rng.Next(12) switch
        {
            0 => Pos(p.Lon, p.Lat), // a legacy pair
            1 => new O.BsonArray { Point(p), Point(Place(rng, used)) }, // several locations
            2 => new O.BsonDocument { { "type", "LineString" }, { "coordinates", new O.BsonArray { Pos(p.Lon, p.Lat), Pos(p.Lon + (rng.NextDouble() * 4), Clamp(p.Lat + (rng.NextDouble() * 4) - 2, -89, 89)) } } },
            3 => new O.BsonDocument { { "type", "Polygon" }, { "coordinates", Square(p.Lon, p.Lat, 0.01 + (rng.NextDouble() * 3)) } },
            4 => new O.BsonDocument { { "type", "Polygon" }, { "coordinates", Square(p.Lon, 0, 40) } }, // wider than a quarter of the globe
            5 => new O.BsonDocument
            {
                { "type", "GeometryCollection" },
                { "geometries", new O.BsonArray { Point(p), new O.BsonDocument { { "type", "MultiPoint" }, { "coordinates", new O.BsonArray { Pos(p.Lon + 1, p.Lat / 2), Pos(p.Lon - 1, p.Lat / 3) } } } } },
            },
            _ => Point(p),
        };
    }

    private static O.BsonDocument SphereDoc(Random rng, int id, List<(double, double)> used)
    {
        var doc = new O.BsonDocument { { "_id", id }, { "cat", rng.Next(3) } };
        if (rng.Next(15) > 0) doc["loc"] = SphereLocation(rng, used);
        return doc;
    }

    private static string SphereQuery(Random rng, List<(double, double)> used)
    {
        var (lon, lat) = Place(rng, used);
        var point = Point((lon, lat)).ToJson();
        var meters = Math.Pow(10, 2 + (rng.NextDouble() * 5)); // 100 m to 10,000 km
        var size = Math.Pow(10, -1 + (rng.NextDouble() * 2.5)); // 0.1 to 30 degrees
        return rng.Next(9) switch
        {
            0 => "{ loc: { $near: { $geometry: " + point + " } } }",
            1 => "{ loc: { $near: { $geometry: " + point + ", $maxDistance: " + meters + " } } }",
            2 => "{ loc: { $nearSphere: { $geometry: " + point + ", $minDistance: " + (meters / 3) + ", $maxDistance: " + meters + " } }, cat: { $ne: 1 } }",
            3 => "{ loc: { $nearSphere: " + Pos(lon, lat).ToJson() + ", $maxDistance: " + (meters / 6378100) + " } }",
            4 => "{ loc: { $geoWithin: { $geometry: { type: 'Polygon', coordinates: " + Square(lon, lat, size).ToJson() + " } } } }",
            5 => "{ loc: { $geoWithin: { $centerSphere: [ " + Pos(lon, lat).ToJson() + ", " + (size / 50) + " ] } } }",
            6 => "{ loc: { $geoWithin: { $box: [ [ " + (lon - size) + ", " + (lat - size) + " ], [ " + (lon + size) + ", " + (lat + size) + " ] ] } } }",
            7 => "{ loc: { $geoIntersects: { $geometry: { type: 'Polygon', coordinates: " + Square(lon, lat, size).ToJson() + " } } } }",
            _ => "{ loc: { $geoIntersects: { $geometry: { type: 'LineString', coordinates: [ " + Pos(lon, lat).ToJson() + ", " + Pos(lon + size, lat + (size / 2)).ToJson() + " ] } } } }",
        };
    }

    // The ids a query returns: in order for $near (nearest first, ties in natural order), as a set otherwise.
    private static List<int> Ids(IMongoCollection<O.BsonDocument> c, string filter, int limit)
    {
        var find = c.Find(D(filter));
        if (limit > 0) find = find.Limit(limit);
        var ids = find.ToList().ConvertAll(d => d["_id"].AsInt32);
        return filter.Contains("$near", StringComparison.Ordinal) ? ids : ids.Order().ToList();
    }

    private static void Compare(IMongoCollection<O.BsonDocument> indexed, IMongoCollection<O.BsonDocument> scanned, string filter, int limit)
    {
        // Only $near has an order to keep: an indexed $geoWithin returns cell order, as mongod's FETCH over IXSCAN does.
        if (!filter.Contains("$near", StringComparison.Ordinal)) limit = 0;
        var expected = Ids(scanned, filter, limit);
        var actual = Ids(indexed, filter, limit);
        Assert.True(expected.SequenceEqual(actual), filter + " limit " + limit + ": scan " + string.Join(",", expected) + " / index " + string.Join(",", actual));
    }

    private static List<string> GeoNearRows(IMongoCollection<O.BsonDocument> c, string stage) =>
        c.Aggregate(PipelineDefinition<O.BsonDocument, O.BsonDocument>.Create([D(stage), D("{ $project: { d: 1 } }")]))
            .ToList().ConvertAll(d => d["_id"] + ":" + d["d"].AsDouble.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

    private static void Mutate(Random rng, List<(double, double)> used, int nextId, Func<Random, int, O.BsonDocument> make, params IMongoCollection<O.BsonDocument>[] twins)
    {
        for (var i = 0; i < 60; i++)
        {
            var id = rng.Next(nextId);
            var op = rng.Next(4);
            var doc = make(rng, id);
            foreach (var c in twins)
            {
                switch (op)
                {
                    case 0:
                        c.UpdateOne(D("{ _id: " + id + " }"), new O.BsonDocument("$set", new O.BsonDocument("loc", doc.GetValue("loc", O.BsonNull.Value))));
                        break;
                    case 1:
                        c.ReplaceOne(D("{ _id: " + id + " }"), doc);
                        break;
                    case 2:
                        c.DeleteOne(D("{ _id: " + id + " }"));
                        break;
                    default:
                        c.UpdateOne(D("{ _id: " + id + " }"), D("{ $unset: { loc: 1 } }"));
                        break;
                }
            }
        }
    }

    [Fact]
    public void Sphere_index_answers_equal_a_collection_scan_on_random_shapes_and_queries()
    {
        var rng = new Random(19);
        var indexed = Db.GetCollection<O.BsonDocument>("sphere");
        var scanned = Db.GetCollection<O.BsonDocument>("sphereScan");
        // A compound index (other key fields beside the cells) against a partial one.
        indexed.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{ loc: '2dsphere', cat: 1 }")));
        scanned.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{ loc: '2dsphere' }"), new CreateIndexOptions<O.BsonDocument> { PartialFilterExpression = D(EverythingPartial) }));
        var used = new List<(double, double)>();
        var docs = Enumerable.Range(0, 600).Select(i => SphereDoc(rng, i, used)).ToList();
        indexed.InsertMany(docs.Select(d => d.DeepClone().AsBsonDocument));
        scanned.InsertMany(docs);
        for (var round = 0; round < 2; round++)
        {
            for (var q = 0; q < 80; q++) Compare(indexed, scanned, SphereQuery(rng, used), rng.Next(4) == 0 ? rng.Next(1, 20) : 0);
            for (var q = 0; q < 15; q++)
            {
                // The $geoNear stage reads the same rings: the same documents, order and distances as measuring all.
                var (lon, lat) = Place(rng, used);
                var stage = "{ $geoNear: { near: " + Point((lon, lat)).ToJson() + ", distanceField: 'd', key: 'loc', query: { cat: { $ne: 2 } }"
                    + (rng.Next(2) == 0 ? ", maxDistance: " + Math.Pow(10, 3 + (rng.NextDouble() * 4)) : string.Empty) + " } }";
                Assert.Equal(GeoNearRows(scanned, stage), GeoNearRows(indexed, stage));
            }

            Mutate(rng, used, 600, (r, id) => SphereDoc(r, id, used), indexed, scanned);
        }
    }

    private static O.BsonDocument FlatDoc(Random rng, int id, List<(double, double)> used)
    {
        (double X, double Y) P()
        {
            if (rng.Next(5) == 0 && used.Count > 0) return used[rng.Next(used.Count)];
            var p = rng.Next(6) == 0 ? (-50 + (rng.NextDouble() * 0.01), 149.99 + (rng.NextDouble() * 0.0099)) : (-50 + (rng.NextDouble() * 200), -50 + (rng.NextDouble() * 200));
            used.Add(p);
            return p;
        }

        var doc = new O.BsonDocument("_id", id);
        var roll = rng.Next(10);
        if (roll == 0) return doc;
        var (x, y) = P();
        doc["loc"] = roll == 1 ? new O.BsonArray { new O.BsonArray { x, y }, new O.BsonArray { P().X, P().Y } } : roll == 2 ? new O.BsonDocument { { "x", x }, { "y", y } } : new O.BsonArray { x, y };
        return doc;
    }

    [Fact]
    public void Flat_index_with_a_custom_range_answers_equal_a_collection_scan()
    {
        var rng = new Random(2);
        var indexed = Db.GetCollection<O.BsonDocument>("flat");
        var scanned = Db.GetCollection<O.BsonDocument>("flatScan");
        indexed.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{ loc: '2d' }"), new CreateIndexOptions { Min = -50, Max = 150, Bits = 20 }));
        scanned.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{ loc: '2d' }"), new CreateIndexOptions<O.BsonDocument> { Min = -50, Max = 150, PartialFilterExpression = D(EverythingPartial) }));
        var used = new List<(double, double)>();
        var docs = Enumerable.Range(0, 500).Select(i => FlatDoc(rng, i, used)).ToList();
        indexed.InsertMany(docs.Select(d => d.DeepClone().AsBsonDocument));
        scanned.InsertMany(docs);
        for (var round = 0; round < 2; round++)
        {
            for (var q = 0; q < 60; q++)
            {
                var (x, y) = rng.Next(3) == 0 && used.Count > 0 ? used[rng.Next(used.Count)] : (-60 + (rng.NextDouble() * 220), -60 + (rng.NextDouble() * 220));
                var r = Math.Pow(10, -2 + (rng.NextDouble() * 4));
                var filter = rng.Next(7) switch
                {
                    0 => "{ loc: { $near: [ " + x + ", " + y + " ] } }",
                    1 => "{ loc: { $near: [ " + x + ", " + y + " ], $maxDistance: " + r + " } }",
                    2 => "{ loc: { $nearSphere: [ " + x + ", " + y + " ], $maxDistance: " + (r / 100) + " } }",
                    3 => "{ loc: { $geoWithin: { $box: [ [ " + x + ", " + y + " ], [ " + (x + r) + ", " + (y + r) + " ] ] } } }",
                    4 => "{ loc: { $geoWithin: { $center: [ [ " + x + ", " + y + " ], " + r + " ] } } }",
                    5 => "{ loc: { $geoWithin: { $polygon: [ [ " + x + ", " + y + " ], [ " + (x + r) + ", " + y + " ], [ " + x + ", " + (y + r) + " ] ] } } }",
                    _ => "{ loc: { $geoWithin: { $centerSphere: [ [ " + Clamp(x, -180, 180) + ", " + Clamp(y, -90, 90) + " ], " + (r / 100) + " ] } } }",
                };
                Compare(indexed, scanned, filter, rng.Next(4) == 0 ? rng.Next(1, 20) : 0);
            }

            Mutate(rng, used, 500, (r, id) => FlatDoc(r, id, used), indexed, scanned);
        }
    }

    private O.BsonDocument Explain(string collection, string filter, int limit = 0)
    {
        var find = new O.BsonDocument { { "find", collection }, { "filter", D(filter) } };
        if (limit > 0) find.Add("limit", limit);
        return Db.RunCommand<O.BsonDocument>(new O.BsonDocument { { "explain", find }, { "verbosity", "executionStats" } });
    }

    private static O.BsonDocument Grid(int id, double lon, double lat) =>
        new() { { "_id", id }, { "loc", new O.BsonDocument { { "type", "Point" }, { "coordinates", new O.BsonArray { lon, lat } } } } };

    [Fact]
    public void Near_and_geoWithin_read_only_the_cells_of_their_region_and_explain_shows_it()
    {
        var c = Db.GetCollection<O.BsonDocument>("grid");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{ loc: '2dsphere' }")));
        // 4,000 points a tenth of a degree apart (about 11 km): a 20 km search meets a handful of them.
        c.InsertMany(Enumerable.Range(0, 4000).Select(i => Grid(i, -10 + ((i % 80) * 0.1), 30 + ((i / 80) * 0.1))));

        var near = Explain("grid", "{ loc: { $near: { $geometry: { type: 'Point', coordinates: [ -7, 32 ] }, $maxDistance: 20000 } } }");
        var stats = near["executionStats"].AsBsonDocument;
        // Within 20 km of a grid point: itself, 2 at 9.4 km (longitude), 2 at 11.1 km, 4 at 14.6 km, 2 at 18.9 km.
        Assert.Equal(11, stats["nReturned"].ToInt32());
        Assert.InRange(stats["totalDocsExamined"].ToInt64(), 11, 200);
        Assert.InRange(stats["totalKeysExamined"].ToInt64(), 11, 200);
        var stage = stats["executionStages"].AsBsonDocument;
        Assert.Equal("GEO_NEAR_2DSPHERE", stage["stage"].AsString);
        Assert.Equal(D("{ loc: '2dsphere' }"), stage["keyPattern"]);
        Assert.Equal("loc_2dsphere", stage["indexName"].AsString);
        Assert.Equal(2, stage["indexVersion"].ToInt32());
        Assert.Equal(stage["searchIntervals"].AsBsonArray.Count, stage["inputStages"].AsBsonArray.Count);
        Assert.Equal(11, stage["searchIntervals"].AsBsonArray.Sum(i => i["nReturned"].ToInt64()));
        Assert.Equal("IXSCAN", stage["inputStages"][0]["inputStage"]["stage"].AsString);
        var planned = near["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal("GEO_NEAR_2DSPHERE", planned["stage"].AsString);
        Assert.False(planned.Contains("searchIntervals"));

        var within = Explain("grid", "{ loc: { $geoWithin: { $geometry: { type: 'Polygon', coordinates: [ [ [ -5.05, 33.05 ], [ -4.75, 33.05 ], [ -4.75, 33.25 ], [ -5.05, 33.25 ], [ -5.05, 33.05 ] ] ] } } } }");
        stats = within["executionStats"].AsBsonDocument;
        Assert.Equal(3 * 2, stats["nReturned"].ToInt32());
        Assert.InRange(stats["totalDocsExamined"].ToInt64(), 6, 100);
        var fetch = within["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal("FETCH", fetch["stage"].AsString);
        Assert.True(fetch["filter"].AsBsonDocument.Contains("loc"));
        var ixscan = fetch["inputStage"].AsBsonDocument;
        Assert.Equal("IXSCAN", ixscan["stage"].AsString);
        Assert.Equal("loc_2dsphere", ixscan["indexName"].AsString);
        Assert.All(ixscan["indexBounds"]["loc"].AsBsonArray, b => Assert.Matches(@"^\[\d+, \d+\]$", b.AsString));

        // Nearest first, a limit stops after the first ring that holds enough.
        var first = c.Find(D("{ loc: { $near: { $geometry: { type: 'Point', coordinates: [ -7.01, 32.02 ] } } } }")).Limit(3).ToList();
        Assert.Equal([1630, 1629, 1710], first.ConvertAll(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task A_transaction_reads_its_snapshots_cells()
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        using var client = new MongoClient(settings);
        var c = client.GetDatabase("geocells").GetCollection<O.BsonDocument>("txn");
        await c.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(D("{ loc: '2dsphere' }")));
        await c.InsertManyAsync([Grid(1, 0, 0), Grid(2, 50, 50)]);
        const string Near = "{ loc: { $near: { $geometry: { type: 'Point', coordinates: [ 0, 0 ] }, $maxDistance: 100000 } } }";
        using var session = await client.StartSessionAsync();
        session.StartTransaction();
        await c.UpdateOneAsync(session, D("{ _id: 2 }"), D("{ $set: { 'loc.coordinates': [ 0.1, 0.1 ] } }"));
        await c.InsertOneAsync(Grid(3, 0.2, 0)); // outside: not in the transaction's snapshot
        Assert.Equal([1, 2], (await c.Find(session, D(Near)).ToListAsync()).ConvertAll(d => d["_id"].AsInt32));
        Assert.Equal([1, 3], (await c.Find(D(Near)).ToListAsync()).ConvertAll(d => d["_id"].AsInt32));
        await session.CommitTransactionAsync();
        Assert.Equal([1, 2, 3], (await c.Find(D(Near)).ToListAsync()).ConvertAll(d => d["_id"].AsInt32));
        Assert.Equal([2], (await c.Find(D("{ loc: { $geoWithin: { $centerSphere: [ [ 0.1, 0.1 ], 0.0001 ] } } }")).ToListAsync()).ConvertAll(d => d["_id"].AsInt32));
    }
}
