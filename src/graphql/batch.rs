//! Batched loading, dispatched level by level: the request's [`Batcher`] collects every key a
//! resolver asks for, and reads the rows of all the keys collected so far (one statement per
//! key type, all in one round trip: `loaders::read_round`) only when the executor can go no
//! further without them and no round is still running. A query therefore costs one round per
//! nesting level, and the same query always costs the same statements, however fast or loaded
//! the machine: batches are cut by what the query needs, never by a timer (async-graphql's
//! `DataLoader` waits a fixed 1 ms and loads whatever has arrived by then, so a slow machine
//! splits its batches). The waiters' channels are `futures-channel`'s, which tokio's
//! cooperative budget does not touch: a tokio channel can report «not ready» when its value is
//! there, which would make the executor look idle and start a round before every key of the
//! level was asked for.
//!
//! A query's batcher also remembers what it loaded, so a key asked for again later in the
//! request costs nothing, and a resolver that knows what the fields below it will ask for can
//! start those loads in its own round ([`Batcher::prefetch`]): one round fewer for each level
//! it looks ahead. A mutation's batcher remembers nothing, since a later field of the same
//! request may have to see what an earlier one changed.

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use futures_channel::oneshot;
use sea_orm::sea_query::SelectStatement;
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult, QueryResult, QueryTrait};

use super::loaders::{Batched, Row, read_round};
use crate::db::Tally;

type Round = Pin<Box<dyn Future<Output = ()> + Send>>;
/// Takes a key type's queue out of the waiting ones: the statement reading its keys, unless
/// every one is known by now (then its waiters have their rows already).
type Start = Box<dyn FnOnce(&mut Waiting) -> Option<Fetch> + Send>;

/// Hands a statement's rows (or the round's error) to the waiters of its keys.
type Deliver = Box<dyn FnOnce(Result<Vec<QueryResult>, Arc<DbErr>>) + Send>;

/// A key type's part of a round: its statement, and what to do with the rows it reads.
struct Fetch {
    statement: SelectStatement,
    deliver: Deliver,
}

/// Wakes the task, and notes that it was woken.
struct WakeFlag {
    woken: AtomicBool,
    task: Waker,
}

impl Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.task.wake_by_ref();
    }
}
type Loaded<K> = Result<Arc<HashMap<K, <K as Batched>::Value>>, Arc<DbErr>>;

/// The keys of one type waiting for the next round, and who waits for them.
struct Queue<K: Batched> {
    keys: HashSet<K>,
    waiters: Vec<oneshot::Sender<Loaded<K>>>,
}

/// What waits for the next round: the queues by key type, and how to load each.
#[derive(Default)]
struct Waiting {
    queues: HashMap<TypeId, Box<dyn Any + Send>>,
    starts: Vec<Start>,
}

/// What a query's batcher has loaded, by key type: for each key asked for, its row(s), or
/// `None` when nothing has that key.
type Remembered = Arc<Mutex<HashMap<TypeId, Box<dyn Any + Send>>>>;

/// The request's loader.
pub struct Batcher {
    db: DatabaseConnection,
    /// Where the statements read past sea-orm are counted.
    tally: Tally,
    waiting: Mutex<Waiting>,
    /// `None` for a mutation (see the module's doc).
    remembered: Option<Remembered>,
}

/// Whether a batcher keeps what it loaded for the rest of its request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Memory {
    /// A query: keep every row loaded, and allow prefetching.
    Remember,
    /// A mutation: load every key when asked.
    Forget,
}

impl Batcher {
    /// A batcher for one request: nothing is kept across requests.
    pub fn new(db: DatabaseConnection, tally: Tally, memory: Memory) -> Self {
        Batcher {
            db,
            tally,
            waiting: Mutex::new(Waiting::default()),
            remembered: (memory == Memory::Remember).then(Remembered::default),
        }
    }

    /// Starts loading `keys` in the next round, with the keys the fields of the current level
    /// ask for, without waiting for them: the resolvers below ask for them a round later and
    /// find them loaded. Does nothing in a mutation, which keeps no rows.
    pub fn prefetch<K: Batched>(&self, keys: impl IntoIterator<Item = K>) {
        if let Some(remembered) = &self.remembered {
            let missing = unknown::<K>(remembered, keys).1;
            self.enqueue::<K>(missing, None);
        }
    }

    /// The rows for `keys`, loaded in the next round with every other key of their type (a
    /// query's keys loaded before are not loaded again).
    pub async fn load_many<K: Batched>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<HashMap<K, K::Value>, Arc<DbErr>> {
        let (mut found, missing) = match &self.remembered {
            Some(remembered) => unknown::<K>(remembered, keys),
            None => (HashMap::new(), keys.into_iter().collect()),
        };
        if missing.is_empty() {
            return Ok(found);
        }
        let (sender, receiver) = oneshot::channel();
        self.enqueue::<K>(missing.clone(), Some(sender));
        let loaded = receiver
            .await
            .map_err(|_| Arc::new(DbErr::Custom("the request ended before its load".into())))??;
        found.extend(
            missing
                .into_iter()
                .filter_map(|k| loaded.get(&k).map(|v| (k, v.clone()))),
        );
        Ok(found)
    }

    /// Queues `keys` for the next round, with `waiter` to tell when they are loaded; the first
    /// key of a type in a round schedules that type's one statement.
    fn enqueue<K: Batched>(&self, keys: Vec<K>, waiter: Option<oneshot::Sender<Loaded<K>>>) {
        if keys.is_empty() {
            return;
        }
        let mut waiting = self.waiting.lock().expect("batcher lock");
        let mut scheduled = true;
        let queue = waiting
            .queues
            .entry(TypeId::of::<K>())
            .or_insert_with(|| {
                scheduled = false;
                Box::new(Queue::<K> {
                    keys: HashSet::new(),
                    waiters: Vec::new(),
                })
            })
            .downcast_mut::<Queue<K>>()
            .expect("one queue type per key type");
        queue.keys.extend(keys);
        queue.waiters.extend(waiter);
        if scheduled {
            return;
        }
        let remembered = self.remembered.clone();
        waiting.starts.push(Box::new(move |waiting: &mut Waiting| {
            let queue = waiting
                .queues
                .remove(&TypeId::of::<K>())
                .and_then(|q| q.downcast::<Queue<K>>().ok())
                .expect("a queue for every start");
            let Queue { keys, waiters } = *queue;
            let keys: Vec<K> = keys.into_iter().collect();
            // A prefetch of the round before may have loaded some of them: only the others
            // are read.
            let (found, missing) = match &remembered {
                Some(remembered) => unknown::<K>(remembered, keys),
                None => (HashMap::new(), keys),
            };
            let tell = move |loaded: Loaded<K>| {
                for waiter in waiters {
                    let _ = waiter.send(loaded.clone());
                }
            };
            if missing.is_empty() {
                tell(Ok(Arc::new(found)));
                return None;
            }
            Some(Fetch {
                statement: K::select(&missing).into_query(),
                deliver: Box::new(move |rows| {
                    tell(rows.and_then(|rows| {
                        let rows = decode::<K>(rows)?;
                        if let Some(remembered) = &remembered {
                            remember(remembered, missing, &rows);
                        }
                        let mut found = found;
                        found.extend(rows);
                        Ok(Arc::new(found))
                    }))
                }),
            })
        }));
    }

    /// The row for `key`, like [`Batcher::load_many`].
    pub async fn load_one<K: Batched>(&self, key: K) -> Result<Option<K::Value>, Arc<DbErr>> {
        Ok(self.load_many([key.clone()]).await?.remove(&key))
    }

    /// The next round, taking every key waiting now: `None` when no key waits, a round that
    /// reads nothing when every key waiting was known by now.
    fn next_round(&self) -> Option<Round> {
        let mut waiting = self.waiting.lock().expect("batcher lock");
        let starts = std::mem::take(&mut waiting.starts);
        if starts.is_empty() {
            return None;
        }
        let (statements, deliveries): (Vec<_>, Vec<_>) = starts
            .into_iter()
            .filter_map(|start| start(&mut waiting))
            .map(|fetch| (fetch.statement, fetch.deliver))
            .unzip();
        let (db, tally) = (self.db.clone(), self.tally.clone());
        Some(Box::pin(async move {
            if statements.is_empty() {
                return;
            }
            let results = read_round(&db, &tally, statements).await;
            for (deliver, rows) in deliveries.into_iter().zip(results) {
                deliver(rows);
            }
        }))
    }

    /// Runs `request` (the execution of one GraphQL request) to the end, starting a round of
    /// loads whenever it waits for keys and no round is running; the rounds run on the request's
    /// own task, so they end with it (a timeout or a client gone cancels them too).
    ///
    /// «Waits» means the executor returned «not ready» without waking itself: it yields now and
    /// then while walking a long list (futures' `FuturesUnordered` does, every 32 items), and
    /// starting a round then would cut the level's keys in two.
    ///
    /// Past `deadline` the request stops at its next step and `None` is returned: checked before
    /// every step, so a deadline that has passed stops it whatever the machine's speed (a timer
    /// alone fires only at its next tick). A timer must still wake the task at the deadline.
    pub async fn drive<T>(
        &self,
        deadline: Option<std::time::Instant>,
        request: impl Future<Output = T>,
    ) -> Option<T> {
        let mut request = std::pin::pin!(request);
        let mut running: Option<Round> = None;
        std::future::poll_fn(|cx| {
            loop {
                if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                    return Poll::Ready(None);
                }
                let woken = Arc::new(WakeFlag {
                    woken: AtomicBool::new(false),
                    task: cx.waker().clone(),
                });
                let waker = Waker::from(woken.clone());
                if let Poll::Ready(output) = request.as_mut().poll(&mut Context::from_waker(&waker))
                {
                    return Poll::Ready(Some(output));
                }
                if woken.woken.load(Ordering::SeqCst) {
                    // It yielded: let the runtime run others, and come back to it.
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                if let Some(round) = &mut running {
                    if round.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    running = None;
                    continue;
                }
                running = self.next_round();
                if running.is_none() {
                    return Poll::Pending;
                }
            }
        })
        .await
    }
}

/// Splits `keys` into the rows already loaded for them (keys known to name nothing are left
/// out) and the keys never loaded.
fn unknown<K: Batched>(
    remembered: &Remembered,
    keys: impl IntoIterator<Item = K>,
) -> (HashMap<K, K::Value>, Vec<K>) {
    let remembered = remembered.lock().expect("batcher memory lock");
    let known = remembered
        .get(&TypeId::of::<K>())
        .and_then(|known| known.downcast_ref::<HashMap<K, Option<K::Value>>>());
    let mut found = HashMap::new();
    let mut missing = Vec::new();
    for key in keys {
        match known.and_then(|known| known.get(&key)) {
            Some(Some(row)) => {
                found.insert(key, row.clone());
            }
            Some(None) => {}
            None => missing.push(key),
        }
    }
    (found, missing)
}

/// Keeps what a round loaded for `keys`, and that the keys it did not find name nothing.
fn remember<K: Batched>(remembered: &Remembered, keys: Vec<K>, loaded: &HashMap<K, K::Value>) {
    let mut remembered = remembered.lock().expect("batcher memory lock");
    let known = remembered
        .entry(TypeId::of::<K>())
        .or_insert_with(|| Box::new(HashMap::<K, Option<K::Value>>::new()))
        .downcast_mut::<HashMap<K, Option<K::Value>>>()
        .expect("one memory type per key type");
    for key in keys {
        let row = loaded.get(&key).cloned();
        known.insert(key, row);
    }
}

/// The rows a key type's statement read, by key.
fn decode<K: Batched>(rows: Vec<QueryResult>) -> Result<HashMap<K, K::Value>, Arc<DbErr>> {
    let rows = rows
        .iter()
        .map(|row| Row::<K>::from_query_result(row, ""))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Arc::new)?;
    Ok(K::group(rows))
}
