# The fidelity scenario run by PyMongo: CRUD, aggregation, indexes, GridFS and a transaction against a single-member
# replica set. Each line is a compact JSON array; the test compares them with mongod 8.0's answers.
import json, sys
import gridfs, pymongo
from pymongo.errors import DuplicateKeyError, OperationFailure


def emit(*values):
    print(json.dumps(list(values), separators=(',', ':')))


client = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=10000)
db = client.fidelity
items = db['items']

emit('inserted', len(items.insert_many(
    [{'_id': i, 'sku': 'a%d' % i, 'qty': i * 10, 'tags': ['x'] if i % 2 else ['y', 'z']} for i in range(1, 6)]).inserted_ids))
emit('find', [d['_id'] for d in items.find({'qty': {'$gte': 20}}, sort=[('qty', -1)], limit=3)])
r = items.update_one({'_id': 1}, {'$inc': {'qty': 5}, '$push': {'tags': 'new'}})
emit('update', r.matched_count, r.modified_count)
r = items.update_many({'qty': {'$lt': 30}}, {'$set': {'low': True}})
emit('updateMany', r.matched_count, r.modified_count)
emit('upsert', items.update_one({'_id': 9}, {'$setOnInsert': {'qty': 0}}, upsert=True).upserted_id)
r = items.replace_one({'_id': 2}, {'sku': 'b2', 'qty': 1})
emit('replace', r.modified_count, items.find_one({'_id': 2}))
emit('delete', items.delete_many({'qty': {'$lte': 1}}).deleted_count)
emit('count', items.count_documents({}))
emit('findAndModify', items.find_one_and_update({'_id': 3}, {'$inc': {'qty': 1}}, return_document=pymongo.ReturnDocument.AFTER)['qty'])
groups = items.aggregate([{'$unwind': '$tags'}, {'$group': {'_id': '$tags', 'n': {'$sum': 1}, 'total': {'$sum': '$qty'}}}, {'$sort': {'_id': 1}}])
emit('aggregate', [[g['_id'], g['n'], g['total']] for g in groups])

emit('index', items.create_index([('sku', 1)], unique=True))
try:
    items.insert_one({'sku': 'a1'})
    emit('dup', None)
except DuplicateKeyError as e:
    emit('dup', e.code, e.details['keyValue'])
emit('indexes', sorted(i['name'] for i in items.list_indexes()))
try:
    list(items.aggregate([{'$group': {'_id': 1, 'x': {'$nope': 1}}}]))
    emit('badGroup', None)
except OperationFailure as e:
    emit('badGroup', e.code)

bucket = gridfs.GridFSBucket(db)
data = bytes(i % 256 for i in range(600000))
file_id = bucket.upload_from_stream('blob.bin', data)
emit('gridfs', bucket.open_download_stream(file_id).read() == data,
     db['fs.chunks'].count_documents({'files_id': file_id}), db['fs.files'].find_one({'_id': file_id})['length'])

accounts = db['accounts']
accounts.insert_many([{'_id': 1, 'b': 100}, {'_id': 2, 'b': 0}])


def move(session):
    accounts.update_one({'_id': 1}, {'$inc': {'b': -40}}, session=session)
    accounts.update_one({'_id': 2}, {'$inc': {'b': 40}}, session=session)


with client.start_session() as session:
    session.with_transaction(move)
with client.start_session() as session:
    session.start_transaction()
    accounts.update_one({'_id': 1}, {'$set': {'b': -1}}, session=session)
    emit('inside', accounts.find_one({'_id': 1}, session=session)['b'], accounts.find_one({'_id': 1})['b'])
    session.abort_transaction()
emit('txn', [d['b'] for d in accounts.find(sort=[('_id', 1)])])
