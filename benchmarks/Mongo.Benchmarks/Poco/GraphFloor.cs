using Mongo.Benchmarks.Compare;
using Mongo.Benchmarks.Driver;
using OSer = MongoDB.Bson.Serialization;
using Official = Mongo.Benchmarks.Poco.Official;

namespace Mongo.Benchmarks.Poco;

/// <summary>
/// <c>poco_graph_floor_tweet</c>: builds a copy of a decoded tweet's object graph by hand (new strings, lists and arrays,
/// as a decoder must), so the allocation columns show the floor every decoder pays; a decoder's allocations beyond it
/// are its own overhead. Not a race: both columns should allocate about the same.
/// </summary>
internal static class GraphFloor
{
    public static CompareTask Create()
    {
        byte[] tweet = DriverDataSets.Load("tweet");
        Tweet ours = Decode(tweet);
        Official.Tweet official = OSer.BsonSerializer.Deserialize<Official.Tweet>(tweet);
        return new CompareTask("poco_graph_floor_tweet", tweet.Length, () => Copy(ours), () => Copy(official));
    }

    private static Tweet Decode(byte[] bytes)
    {
        var reader = new Mongo.Bson.BsonReader(bytes);
        reader.Read();
        return BenchBson.Default.Tweet.Serializer.Deserialize(ref reader);
    }

    private static string? S(string? s) => s is null ? null : new string(s.AsSpan());

    private static Tweet Copy(Tweet t) => new()
    {
        Id = t.Id, Text = S(t.Text), InReplyToStatusId = t.InReplyToStatusId, RetweetCount = t.RetweetCount,
        Contributors = t.Contributors, CreatedAt = S(t.CreatedAt), Geo = t.Geo, Source = S(t.Source), Coordinates = t.Coordinates,
        InReplyToScreenName = S(t.InReplyToScreenName), Truncated = t.Truncated, Retweeted = t.Retweeted, Place = t.Place,
        Favorited = t.Favorited, InReplyToUserId = t.InReplyToUserId, TweetId = t.TweetId,
        Entities = t.Entities is null ? null : new TweetEntities
        {
            UserMentions = t.Entities.UserMentions?.Select(m => new UserMention
            {
                Indices = m.Indices?.ToArray(), ScreenName = S(m.ScreenName), Name = S(m.Name), UserId = m.UserId,
            }).ToList(),
            Urls = t.Entities.Urls is null ? null : [.. t.Entities.Urls],
            Hashtags = t.Entities.Hashtags is null ? null : [.. t.Entities.Hashtags],
        },
        User = t.User is null ? null : Copy(t.User),
    };

    private static TwitterUser Copy(TwitterUser u) => new()
    {
        FriendsCount = u.FriendsCount, ProfileSidebarFillColor = S(u.ProfileSidebarFillColor), Location = S(u.Location),
        Verified = u.Verified, FollowRequestSent = u.FollowRequestSent, FavouritesCount = u.FavouritesCount,
        ProfileSidebarBorderColor = S(u.ProfileSidebarBorderColor), ProfileImageUrl = S(u.ProfileImageUrl), GeoEnabled = u.GeoEnabled,
        CreatedAt = S(u.CreatedAt), Description = S(u.Description), TimeZone = S(u.TimeZone), Url = S(u.Url), ScreenName = S(u.ScreenName),
        Notifications = u.Notifications, ProfileBackgroundColor = S(u.ProfileBackgroundColor), ListedCount = u.ListedCount, Lang = S(u.Lang),
        ProfileBackgroundImageUrl = S(u.ProfileBackgroundImageUrl), StatusesCount = u.StatusesCount, Following = u.Following,
        ProfileTextColor = S(u.ProfileTextColor), Protected = u.Protected, ShowAllInlineMedia = u.ShowAllInlineMedia,
        ProfileBackgroundTile = u.ProfileBackgroundTile, Name = S(u.Name), ContributorsEnabled = u.ContributorsEnabled,
        ProfileLinkColor = S(u.ProfileLinkColor), FollowersCount = u.FollowersCount, UserId = u.UserId,
        ProfileUseBackgroundImage = u.ProfileUseBackgroundImage, UtcOffset = u.UtcOffset,
    };

    private static Official.Tweet Copy(Official.Tweet t) => new()
    {
        Id = t.Id, Text = S(t.Text), InReplyToStatusId = t.InReplyToStatusId, RetweetCount = t.RetweetCount,
        Contributors = t.Contributors, CreatedAt = S(t.CreatedAt), Geo = t.Geo, Source = S(t.Source), Coordinates = t.Coordinates,
        InReplyToScreenName = S(t.InReplyToScreenName), Truncated = t.Truncated, Retweeted = t.Retweeted, Place = t.Place,
        Favorited = t.Favorited, InReplyToUserId = t.InReplyToUserId, TweetId = t.TweetId,
        Entities = t.Entities is null ? null : new Official.TweetEntities
        {
            UserMentions = t.Entities.UserMentions?.Select(m => new Official.UserMention
            {
                Indices = m.Indices?.ToArray(), ScreenName = S(m.ScreenName), Name = S(m.Name), UserId = m.UserId,
            }).ToList(),
            Urls = t.Entities.Urls is null ? null : [.. t.Entities.Urls],
            Hashtags = t.Entities.Hashtags is null ? null : [.. t.Entities.Hashtags],
        },
        User = t.User is null ? null : Copy(t.User),
    };

    private static Official.TwitterUser Copy(Official.TwitterUser u) => new()
    {
        FriendsCount = u.FriendsCount, ProfileSidebarFillColor = S(u.ProfileSidebarFillColor), Location = S(u.Location),
        Verified = u.Verified, FollowRequestSent = u.FollowRequestSent, FavouritesCount = u.FavouritesCount,
        ProfileSidebarBorderColor = S(u.ProfileSidebarBorderColor), ProfileImageUrl = S(u.ProfileImageUrl), GeoEnabled = u.GeoEnabled,
        CreatedAt = S(u.CreatedAt), Description = S(u.Description), TimeZone = S(u.TimeZone), Url = S(u.Url), ScreenName = S(u.ScreenName),
        Notifications = u.Notifications, ProfileBackgroundColor = S(u.ProfileBackgroundColor), ListedCount = u.ListedCount, Lang = S(u.Lang),
        ProfileBackgroundImageUrl = S(u.ProfileBackgroundImageUrl), StatusesCount = u.StatusesCount, Following = u.Following,
        ProfileTextColor = S(u.ProfileTextColor), Protected = u.Protected, ShowAllInlineMedia = u.ShowAllInlineMedia,
        ProfileBackgroundTile = u.ProfileBackgroundTile, Name = S(u.Name), ContributorsEnabled = u.ContributorsEnabled,
        ProfileLinkColor = S(u.ProfileLinkColor), FollowersCount = u.FollowersCount, UserId = u.UserId,
        ProfileUseBackgroundImage = u.ProfileUseBackgroundImage, UtcOffset = u.UtcOffset,
    };
}
