using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// 2dsphere and 2d indexes, $geoWithin, $geoIntersects, $near/$nearSphere and $geoNear through the official driver:
/// the manual's "places" examples, great-circle edges, holes, units (meters, radians, flat) and mongod's error codes.
/// </summary>
public sealed class EngineGeoTests : OfficialDriverTestBase
{
    private const double MetersPerDegree = 6378100 * Math.PI / 180; // mongod's Earth radius (6378.1 km)

    private IMongoCollection<O.BsonDocument> _places = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _places = Client.GetDatabase("geo").GetCollection<O.BsonDocument>("places");
        await _places.InsertManyAsync(
        [
            O.BsonDocument.Parse("{ _id: 1, name: 'Central Park', location: { type: 'Point', coordinates: [ -73.97, 40.77 ] }, category: 'Parks' }"),
            O.BsonDocument.Parse("{ _id: 2, name: 'Sara D. Roosevelt Park', location: { type: 'Point', coordinates: [ -73.9928, 40.7193 ] }, category: 'Parks' }"),
            O.BsonDocument.Parse("{ _id: 3, name: 'Polo Grounds', location: { type: 'Point', coordinates: [ -73.9375, 40.8303 ] }, category: 'Stadiums' }"),
        ]);
    }

    private Task Index(IMongoCollection<O.BsonDocument> c, string keys, CreateIndexOptions? options = null) =>
        c.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse(keys), options));

    private static async Task<List<int>> Ids(IMongoCollection<O.BsonDocument> c, string filter, bool keepOrder = false)
    {
        var ids = (await c.Find(O.BsonDocument.Parse(filter)).ToListAsync()).Select(d => d["_id"].AsInt32).ToList();
        return keepOrder ? ids : ids.Order().ToList();
    }

    private async Task<IMongoCollection<O.BsonDocument>> Points(params (int Id, double X, double Y)[] points)
    {
        var c = Client.GetDatabase("geo").GetCollection<O.BsonDocument>("points");
        await c.InsertManyAsync(points.Select(p => new O.BsonDocument { { "_id", p.Id }, { "loc", new O.BsonArray { p.X, p.Y } } }));
        return c;
    }

    [Fact]
    public async Task Geo_indexes_are_listed_as_mongod_lists_them()
    {
        await Index(_places, "{ location: '2dsphere' }");
        var indexes = await (await _places.Indexes.ListAsync()).ToListAsync();
        var sphere = indexes.Single(i => i["name"] == "location_2dsphere");
        Assert.Equal(3, sphere["2dsphereIndexVersion"]);
        Assert.Equal("2dsphere", sphere["key"]["location"]);
    }

    [Fact]
    public async Task Invalid_locations_are_refused_by_a_2dsphere_index()
    {
        await Index(_places, "{ location: '2dsphere' }");
        var outOfRange = await Assert.ThrowsAsync<MongoWriteException>(() => _places.InsertOneAsync(O.BsonDocument.Parse("{ _id: 9, location: { type: 'Point', coordinates: [ 200, 0 ] } }")));
        Assert.Equal(16755, outOfRange.WriteError.Code);
        Assert.StartsWith("Can't extract geo keys: { _id: 9, location:", outOfRange.WriteError.Message);
        Assert.EndsWith("longitude/latitude is out of bounds, lng: 200 lat: 0", outOfRange.WriteError.Message);
        var open = await Assert.ThrowsAsync<MongoWriteException>(() => _places.InsertOneAsync(O.BsonDocument.Parse(
            "{ _id: 10, location: { type: 'Polygon', coordinates: [ [ [0, 0], [1, 0], [1, 1], [0, 1] ] ] } }")));
        Assert.Equal(16755, open.WriteError.Code);
        Assert.Contains("Loop is not closed", open.WriteError.Message);
        // No location at all is fine (2dsphere indexes are sparse), and so is a legacy pair.
        await _places.InsertOneAsync(O.BsonDocument.Parse("{ _id: 11, name: 'nowhere' }"));
        await _places.InsertOneAsync(O.BsonDocument.Parse("{ _id: 12, location: [ 10, 20 ] }"));

        // Building the index over an invalid document fails the same way.
        var other = Client.GetDatabase("geo").GetCollection<O.BsonDocument>("bad");
        await other.InsertOneAsync(O.BsonDocument.Parse("{ _id: 1, loc: 'somewhere' }"));
        var build = await Assert.ThrowsAsync<MongoCommandException>(() => Index(other, "{ loc: '2dsphere' }"));
        Assert.Equal(16755, build.Code);
    }

    [Fact]
    public async Task A_2d_index_checks_legacy_pairs_against_its_range()
    {
        var c = await Points((1, 5, 5));
        await Index(c, "{ loc: '2d' }", new CreateIndexOptions { Min = 0, Max = 10 });
        var outside = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(O.BsonDocument.Parse("{ _id: 2, loc: [ 10, 1 ] }")));
        Assert.Equal(13027, outside.WriteError.Code);
        Assert.StartsWith("point not in interval of [ 0, 10 )", outside.WriteError.Message);
        var notPair = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(O.BsonDocument.Parse("{ _id: 3, loc: 'x' }")));
        Assert.Equal(13026, notPair.WriteError.Code);
        var notFirst = await Assert.ThrowsAsync<MongoCommandException>(() => Index(c, "{ a: 1, loc: '2d' }"));
        Assert.Equal(16801, notFirst.Code);
        var mixed = await Assert.ThrowsAsync<MongoCommandException>(() => Index(c, "{ loc: '2dsphere', t: 'text' }"));
        Assert.Equal(67, mixed.Code);
    }

    [Fact]
    public async Task GeoWithin_a_polygon_follows_great_circle_edges_and_holes()
    {
        var c = await Points((1, 0, 78), (2, 0, 65), (3, 30, 70), (4, 0, 75.5));
        // The edge from (-60, 60) to (60, 60) is a great-circle arc that rises to ~73.9° at longitude 0, so (0, 65)
        // lies outside the spherical polygon although it is inside the same ring drawn on a flat map.
        const string ring = "[ [-60, 60], [60, 60], [0, 85], [-60, 60] ]";
        Assert.Equal([1, 4], await Ids(c, "{ loc: { $geoWithin: { $geometry: { type: 'Polygon', coordinates: [ " + ring + " ] } } } }"));
        Assert.Equal([1, 2, 3, 4], await Ids(c, "{ loc: { $geoWithin: { $polygon: [ [-60, 60], [60, 60], [0, 85] ] } } }"));
        // A hole around (0, 75.5) removes that point.
        const string hole = "[ [-2, 74], [2, 74], [2, 77], [-2, 77], [-2, 74] ]";
        Assert.Equal([1], await Ids(c, "{ loc: { $geoWithin: { $geometry: { type: 'Polygon', coordinates: [ " + ring + ", " + hole + " ] } } } }"));
        Assert.Equal([1, 3, 4], await Ids(c, "{ loc: { $geoWithin: { $geometry: { type: 'MultiPolygon', coordinates: [ [ " + ring + " ], [ [ [25, 65], [35, 65], [35, 75], [25, 75], [25, 65] ] ] ] } } } }"));
    }

    [Fact]
    public async Task Legacy_shapes_box_polygon_center_and_centerSphere()
    {
        var c = await Points((1, 1, 1), (2, 5, 5), (3, 9, 1), (4, -3, -4));
        Assert.Equal([1, 2], await Ids(c, "{ loc: { $geoWithin: { $box: [ [0, 0], [5, 5] ] } } }"));
        Assert.Equal([1, 3], await Ids(c, "{ loc: { $geoWithin: { $polygon: [ [0, 0], [10, 0], [10, 2], [0, 2] ] } } }"));
        Assert.Equal([], await Ids(c, "{ loc: { $geoWithin: { $polygon: [ [0, 0], [10, 0], [5, 3] ] } } }")); // both lie outside the triangle's slopes
        Assert.Equal([1, 4], await Ids(c, "{ loc: { $geoWithin: { $center: [ [0, 0], 5 ] } } }")); // (-3,-4) is exactly 5 away
        // $centerSphere's radius is in radians: 2° of arc = 2π/180.
        Assert.Equal([1], await Ids(c, "{ loc: { $geoWithin: { $centerSphere: [ [0, 0], " + (2 * Math.PI / 180).ToString(System.Globalization.CultureInfo.InvariantCulture) + " ] } } }"));
        var bad = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(c, "{ loc: { $geoWithin: { $sphere: 1 } } }"));
        Assert.Equal(2, bad.Code);
    }

    [Fact]
    public async Task GeoIntersects_meets_lines_polygons_and_points()
    {
        var shapes = Client.GetDatabase("geo").GetCollection<O.BsonDocument>("shapes");
        await shapes.InsertManyAsync(
        [
            O.BsonDocument.Parse("{ _id: 1, g: { type: 'LineString', coordinates: [ [-5, 0], [5, 0] ] } }"),
            O.BsonDocument.Parse("{ _id: 2, g: { type: 'Polygon', coordinates: [ [ [10, 10], [12, 10], [12, 12], [10, 12], [10, 10] ] ] } }"),
            O.BsonDocument.Parse("{ _id: 3, g: { type: 'Point', coordinates: [ 0.5, 0.5 ] } }"),
            O.BsonDocument.Parse("{ _id: 4, g: [ 20, 20 ] }"),
        ]);
        await Index(shapes, "{ g: '2dsphere' }");
        const string square = "{ type: 'Polygon', coordinates: [ [ [0, -1], [1, -1], [1, 1], [0, 1], [0, -1] ] ] }";
        Assert.Equal([1, 3], await Ids(shapes, "{ g: { $geoIntersects: { $geometry: " + square + " } } }"));
        Assert.Equal([2], await Ids(shapes, "{ g: { $geoIntersects: { $geometry: { type: 'LineString', coordinates: [ [11, 0], [11, 30] ] } } } }"));
        Assert.Equal([4], await Ids(shapes, "{ g: { $geoIntersects: { $geometry: { type: 'Point', coordinates: [ 20, 20 ] } } } }"));
        Assert.Equal([1, 2, 3, 4], await Ids(shapes, "{ g: { $geoIntersects: { $geometry: { type: 'Polygon', coordinates: [ [ [-10, -10], [30, -10], [30, 30], [-10, 30], [-10, -10] ] ] } } } }"));
    }

    [Fact]
    public async Task Near_needs_a_geo_index_and_sorts_by_distance_in_meters()
    {
        const string near = "{ location: { $near: { $geometry: { type: 'Point', coordinates: [ -73.9667, 40.78 ] }, $minDistance: 1000, $maxDistance: 5000 } } }";
        var noIndex = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(_places, near));
        Assert.Equal(291, noIndex.Code);
        Assert.Contains("unable to find index for $geoNear query", noIndex.ErrorMessage);
        await Index(_places, "{ location: '2dsphere' }");
        Assert.Equal([1], await Ids(_places, near)); // the manual's answer: Central Park, ~1.1 km away
        Assert.Equal([1, 3, 2], await Ids(_places, "{ location: { $nearSphere: { $geometry: { type: 'Point', coordinates: [ -73.9667, 40.78 ] } } } }", keepOrder: true));
        Assert.Equal([3, 1], await Ids(_places, "{ category: { $in: ['Parks', 'Stadiums'] }, location: { $near: { $geometry: { type: 'Point', coordinates: [ -73.94, 40.83 ] }, $maxDistance: 8000 } } }", keepOrder: true));

        var nested = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(_places, "{ $or: [ " + near + ", { _id: 1 } ] }"));
        Assert.Equal((2, "geoNear must be top-level expr"), (nested.Code, nested.ErrorMessage));
        var inMatch = await Assert.ThrowsAsync<MongoCommandException>(() => _places.Aggregate<O.BsonDocument>(new[] { new O.BsonDocument("$match", O.BsonDocument.Parse(near)) }).ToListAsync());
        Assert.Equal(5626500, inMatch.Code);
    }

    [Fact]
    public async Task Legacy_near_is_flat_with_a_2d_index_and_radians_with_nearSphere()
    {
        var c = await Points((1, 3, 4), (2, 1, 0), (3, 0, 10));
        await Index(c, "{ loc: '2d' }");
        Assert.Equal([2, 1], await Ids(c, "{ loc: { $near: [0, 0], $maxDistance: 5 } }", keepOrder: true)); // (3,4) is 5 units away
        var maxRadians = (3 * Math.PI / 180).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([2], await Ids(c, "{ loc: { $nearSphere: [0, 0], $maxDistance: " + maxRadians + " } }", keepOrder: true));
    }

    [Fact]
    public async Task GeoNear_stage_writes_distances_and_locations()
    {
        var noIndex = await Assert.ThrowsAsync<MongoCommandException>(() => _places.Aggregate<O.BsonDocument>(new[]
        {
            O.BsonDocument.Parse("{ $geoNear: { near: { type: 'Point', coordinates: [ -73.99279, 40.719296 ] }, distanceField: 'd' } }"),
        }).ToListAsync());
        Assert.Equal(27, noIndex.Code);
        await Index(_places, "{ location: '2dsphere' }");
        var docs = await _places.Aggregate<O.BsonDocument>(new[]
        {
            O.BsonDocument.Parse("{ $geoNear: { near: { type: 'Point', coordinates: [ -73.99279, 40.719296 ] }, distanceField: 'dist.calculated', maxDistance: 2, query: { category: 'Parks' }, includeLocs: 'dist.location', spherical: true } }"),
        }).ToListAsync();
        var park = Assert.Single(docs);
        Assert.Equal("Sara D. Roosevelt Park", park["name"].AsString);
        Assert.Equal(O.BsonDocument.Parse("{ type: 'Point', coordinates: [ -73.9928, 40.7193 ] }"), park["dist"]["location"]);
        // A metre or so, by the haversine on mongod's 6378.1 km sphere.
        Assert.Equal(Haversine(-73.99279, 40.719296, -73.9928, 40.7193), park["dist"]["calculated"].AsDouble, 6);

        var ordered = await _places.Aggregate<O.BsonDocument>(new[]
        {
            O.BsonDocument.Parse("{ $geoNear: { near: { type: 'Point', coordinates: [ -73.97, 40.77 ] }, distanceField: 'km', distanceMultiplier: 0.001 } }"),
            O.BsonDocument.Parse("{ $project: { km: 1, meta: { $meta: 'geoNearDistance' } } }"),
        }).ToListAsync();
        Assert.Equal([1, 2, 3], ordered.Select(d => d["_id"].AsInt32)); // Sara D. Roosevelt ~6 km, Polo Grounds ~7 km
        Assert.Equal(0, ordered[0]["km"].AsDouble);
        Assert.All(ordered, d => Assert.Equal(d["km"], d["meta"]));

        var notFirst = await Assert.ThrowsAsync<MongoCommandException>(() => _places.Aggregate<O.BsonDocument>(new[]
        {
            O.BsonDocument.Parse("{ $match: {} }"),
            O.BsonDocument.Parse("{ $geoNear: { near: [0, 0], distanceField: 'd' } }"),
        }).ToListAsync());
        Assert.Equal(40603, notFirst.Code);
    }

    [Fact]
    public async Task GeoNear_with_a_legacy_point_measures_in_radians_or_flat_units()
    {
        var c = await Points((1, 1, 0), (2, 0, 2));
        await Index(c, "{ loc: '2d' }");
        var flat = await c.Aggregate<O.BsonDocument>(new[] { O.BsonDocument.Parse("{ $geoNear: { near: [0, 0], distanceField: 'd' } }") }).ToListAsync();
        Assert.Equal([1.0, 2.0], flat.Select(d => d["d"].AsDouble));
        var sphere = await c.Aggregate<O.BsonDocument>(new[] { O.BsonDocument.Parse("{ $geoNear: { near: [0, 0], distanceField: 'd', spherical: true } }") }).ToListAsync();
        Assert.Equal(Math.PI / 180, sphere[0]["d"].AsDouble, 12);
        Assert.Equal(2 * Math.PI / 180, sphere[1]["d"].AsDouble, 12);
    }

    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var h = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2));
        return 2 * 6378100 * Math.Asin(Math.Sqrt(h));
    }

    [Fact]
    public void One_degree_of_longitude_at_the_equator_is_mongods_111_km() => Assert.Equal(111318.8, MetersPerDegree, 1);

    [Fact]
    public async Task The_official_drivers_geo_builders_work_unchanged()
    {
        await Index(_places, "{ location: '2dsphere' }");
        var f = Builders<O.BsonDocument>.Filter;
        var point = MongoDB.Driver.GeoJsonObjectModel.GeoJson.Point(MongoDB.Driver.GeoJsonObjectModel.GeoJson.Geographic(-73.9667, 40.78));
        var near = await _places.Find(f.NearSphere("location", point, maxDistance: 5000)).ToListAsync();
        Assert.Equal([1], near.Select(d => d["_id"].AsInt32));
        var box = MongoDB.Driver.GeoJsonObjectModel.GeoJson.Polygon(
            MongoDB.Driver.GeoJsonObjectModel.GeoJson.Geographic(-74, 40.7), MongoDB.Driver.GeoJsonObjectModel.GeoJson.Geographic(-73.95, 40.7),
            MongoDB.Driver.GeoJsonObjectModel.GeoJson.Geographic(-73.95, 40.8), MongoDB.Driver.GeoJsonObjectModel.GeoJson.Geographic(-74, 40.8),
            MongoDB.Driver.GeoJsonObjectModel.GeoJson.Geographic(-74, 40.7));
        Assert.Equal(2, await _places.CountDocumentsAsync(f.GeoWithin("location", box)));
        Assert.Equal(2, await _places.CountDocumentsAsync(f.GeoIntersects("location", box)));
    }
}
