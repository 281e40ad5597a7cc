// The fidelity scenario run by the Node.js driver (npm mongodb): the same steps and output as fidelity_scenario.py.
const { MongoClient, GridFSBucket } = require(process.argv[2]);
const emit = (...values) => console.log(JSON.stringify(values));

(async () => {
  const client = new MongoClient(process.argv[3], { serverSelectionTimeoutMS: 10000 });
  const db = client.db('fidelity');
  const items = db.collection('items');

  const docs = [1, 2, 3, 4, 5].map(i => ({ _id: i, sku: 'a' + i, qty: i * 10, tags: i % 2 ? ['x'] : ['y', 'z'] }));
  emit('inserted', (await items.insertMany(docs)).insertedCount);
  emit('find', (await items.find({ qty: { $gte: 20 } }).sort({ qty: -1 }).limit(3).toArray()).map(d => d._id));
  let r = await items.updateOne({ _id: 1 }, { $inc: { qty: 5 }, $push: { tags: 'new' } });
  emit('update', r.matchedCount, r.modifiedCount);
  r = await items.updateMany({ qty: { $lt: 30 } }, { $set: { low: true } });
  emit('updateMany', r.matchedCount, r.modifiedCount);
  emit('upsert', (await items.updateOne({ _id: 9 }, { $setOnInsert: { qty: 0 } }, { upsert: true })).upsertedId);
  r = await items.replaceOne({ _id: 2 }, { sku: 'b2', qty: 1 });
  emit('replace', r.modifiedCount, await items.findOne({ _id: 2 }));
  emit('delete', (await items.deleteMany({ qty: { $lte: 1 } })).deletedCount);
  emit('count', await items.countDocuments({}));
  emit('findAndModify', (await items.findOneAndUpdate({ _id: 3 }, { $inc: { qty: 1 } }, { returnDocument: 'after' })).qty);
  const groups = await items.aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 }, total: { $sum: '$qty' } } }, { $sort: { _id: 1 } }]).toArray();
  emit('aggregate', groups.map(g => [g._id, g.n, g.total]));

  emit('index', await items.createIndex({ sku: 1 }, { unique: true }));
  try {
    await items.insertOne({ sku: 'a1' });
    emit('dup', null);
  } catch (e) {
    emit('dup', e.code, e.keyValue);
  }
  emit('indexes', (await items.listIndexes().toArray()).map(i => i.name).sort());
  try {
    await items.aggregate([{ $group: { _id: 1, x: { $nope: 1 } } }]).toArray();
    emit('badGroup', null);
  } catch (e) {
    emit('badGroup', e.code);
  }

  const bucket = new GridFSBucket(db);
  const data = Buffer.alloc(600000);
  for (let i = 0; i < data.length; i++) data[i] = i % 256;
  const upload = bucket.openUploadStream('blob.bin');
  await new Promise((resolve, reject) => { upload.on('error', reject).on('finish', resolve); upload.end(data); });
  const chunks = [];
  for await (const chunk of bucket.openDownloadStream(upload.id)) chunks.push(chunk);
  emit('gridfs', Buffer.concat(chunks).equals(data), await db.collection('fs.chunks').countDocuments({ files_id: upload.id }),
    (await db.collection('fs.files').findOne({ _id: upload.id })).length);

  const accounts = db.collection('accounts');
  await accounts.insertMany([{ _id: 1, b: 100 }, { _id: 2, b: 0 }]);
  let session = client.startSession();
  await session.withTransaction(async () => {
    await accounts.updateOne({ _id: 1 }, { $inc: { b: -40 } }, { session });
    await accounts.updateOne({ _id: 2 }, { $inc: { b: 40 } }, { session });
  });
  await session.endSession();
  session = client.startSession();
  session.startTransaction();
  await accounts.updateOne({ _id: 1 }, { $set: { b: -1 } }, { session });
  emit('inside', (await accounts.findOne({ _id: 1 }, { session })).b, (await accounts.findOne({ _id: 1 })).b);
  await session.abortTransaction();
  await session.endSession();
  emit('txn', (await accounts.find().sort({ _id: 1 }).toArray()).map(d => d.b));
  await client.close();
})().catch(e => { console.error(e); process.exit(1); });
