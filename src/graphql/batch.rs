//! Batched loading, dispatched level by level: the request's [`Batcher`] collects every key a
//! resolver asks for, and runs the loads of all the keys collected so far (one statement per key
//! type, through `SqlLoader`) only when the executor can go no further without them and no load
//! is still running. A query therefore costs one round of statements per nesting level, and the
//! same query always costs the same statements, however fast or loaded the machine: batches
//! are cut by what the query needs, never by a timer (async-graphql's `DataLoader` waits a fixed
//! 1 ms and loads whatever has arrived by then, so a slow machine splits its batches). The
//! waiters' channels are `futures-channel`'s, which tokio's cooperative budget does not touch:
//! a tokio channel can report «not ready» when its value is there, which would make the
//! executor look idle and start a round before every key of the level was asked for.
//!
//! A query's batcher also remembers what it loaded, so a key asked for again later in the
//! request costs nothing, and a resolver that knows what the fields below it will ask for can
//! start those loads in its own round ([`Batcher::prefetch`]): one round fewer for each level
//! it looks ahead. A mutation's batcher remembers nothing, since a later field of the same
//! request may have to see what an earlier one changed.

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use async_graphql::dataloader::Loader;
use futures_channel::oneshot;
use sea_orm::DbErr;

use super::loaders::SqlLoader;

type Load = Pin<Box<dyn Future<Output = ()> + Send>>;
/// Takes a key type's queue out of the waiting ones and loads it.
type Start = Box<dyn FnOnce(&mut Waiting) -> Load + Send>;

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
type Loaded<K, V> = Result<Arc<HashMap<K, V>>, Arc<DbErr>>;

/// The keys of one type waiting for the next round, and who waits for them.
struct Queue<K, V> {
    keys: HashSet<K>,
    waiters: Vec<oneshot::Sender<Loaded<K, V>>>,
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
    loader: Arc<SqlLoader>,
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
    pub fn new(loader: SqlLoader, memory: Memory) -> Self {
        Batcher {
            loader: Arc::new(loader),
            waiting: Mutex::new(Waiting::default()),
            remembered: (memory == Memory::Remember).then(Remembered::default),
        }
    }

    /// Starts loading `keys` in the next round, with the keys the fields of the current level
    /// ask for, without waiting for them: the resolvers below ask for them a round later and
    /// find them loaded. Does nothing in a mutation, which keeps no rows.
    pub fn prefetch<K, V>(&self, keys: impl IntoIterator<Item = K>)
    where
        K: Clone + Eq + Hash + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
        SqlLoader: Loader<K, Value = V, Error = Arc<DbErr>>,
    {
        if let Some(remembered) = &self.remembered {
            let missing = unknown::<K, V>(remembered, keys).1;
            self.enqueue::<K, V>(missing, None);
        }
    }

    /// The rows for `keys`, loaded in the next round with every other key of their type (a
    /// query's keys loaded before are not loaded again).
    pub async fn load_many<K, V>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<HashMap<K, V>, Arc<DbErr>>
    where
        K: Clone + Eq + Hash + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
        SqlLoader: Loader<K, Value = V, Error = Arc<DbErr>>,
    {
        let (mut found, missing) = match &self.remembered {
            Some(remembered) => unknown::<K, V>(remembered, keys),
            None => (HashMap::new(), keys.into_iter().collect()),
        };
        if missing.is_empty() {
            return Ok(found);
        }
        let (sender, receiver) = oneshot::channel();
        self.enqueue::<K, V>(missing.clone(), Some(sender));
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
    fn enqueue<K, V>(&self, keys: Vec<K>, waiter: Option<oneshot::Sender<Loaded<K, V>>>)
    where
        K: Clone + Eq + Hash + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
        SqlLoader: Loader<K, Value = V, Error = Arc<DbErr>>,
    {
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
                Box::new(Queue::<K, V> {
                    keys: HashSet::new(),
                    waiters: Vec::new(),
                })
            })
            .downcast_mut::<Queue<K, V>>()
            .expect("one queue type per key type");
        queue.keys.extend(keys);
        queue.waiters.extend(waiter);
        if scheduled {
            return;
        }
        let loader = self.loader.clone();
        let remembered = self.remembered.clone();
        waiting.starts.push(Box::new(move |waiting: &mut Waiting| {
            let queue = waiting
                .queues
                .remove(&TypeId::of::<K>())
                .and_then(|q| q.downcast::<Queue<K, V>>().ok())
                .expect("a queue for every start");
            Box::pin(async move {
                let keys: Vec<K> = queue.keys.into_iter().collect();
                let loaded = match &remembered {
                    // A prefetch still running when these keys were queued has loaded some of
                    // them by now: only the others are read.
                    Some(remembered) => {
                        let (found, missing) = unknown::<K, V>(remembered, keys);
                        load_rest(&loader, remembered, found, missing).await
                    }
                    None => loader.load(&keys).await.map(Arc::new),
                };
                for waiter in queue.waiters {
                    let _ = waiter.send(loaded.clone());
                }
            })
        }));
    }

    /// The row for `key`, like [`Batcher::load_many`].
    pub async fn load_one<K, V>(&self, key: K) -> Result<Option<V>, Arc<DbErr>>
    where
        K: Clone + Eq + Hash + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
        SqlLoader: Loader<K, Value = V, Error = Arc<DbErr>>,
    {
        Ok(self.load_many([key.clone()]).await?.remove(&key))
    }

    /// The loads of the next round, taking every key waiting now.
    fn next_round(&self) -> Vec<Load> {
        let mut waiting = self.waiting.lock().expect("batcher lock");
        let starts = std::mem::take(&mut waiting.starts);
        starts
            .into_iter()
            .map(|start| start(&mut waiting))
            .collect()
    }

    /// Runs `request` (the execution of one GraphQL request) to the end, starting a round of
    /// loads whenever it waits for keys and no load is running; the loads run on the request's
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
        let mut running: Vec<Load> = Vec::new();
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
                let before = running.len();
                running.retain_mut(|load| load.as_mut().poll(cx).is_pending());
                if running.len() < before {
                    continue;
                }
                if !running.is_empty() {
                    return Poll::Pending;
                }
                running = self.next_round();
                if running.is_empty() {
                    return Poll::Pending;
                }
            }
        })
        .await
    }
}

/// Splits `keys` into the rows already loaded for them (keys known to name nothing are left
/// out) and the keys never loaded.
fn unknown<K, V>(
    remembered: &Remembered,
    keys: impl IntoIterator<Item = K>,
) -> (HashMap<K, V>, Vec<K>)
where
    K: Clone + Eq + Hash + Send + 'static,
    V: Clone + Send + 'static,
{
    let remembered = remembered.lock().expect("batcher memory lock");
    let known = remembered
        .get(&TypeId::of::<K>())
        .and_then(|known| known.downcast_ref::<HashMap<K, Option<V>>>());
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
fn remember<K, V>(remembered: &Remembered, keys: Vec<K>, loaded: &HashMap<K, V>)
where
    K: Clone + Eq + Hash + Send + 'static,
    V: Clone + Send + 'static,
{
    let mut remembered = remembered.lock().expect("batcher memory lock");
    let known = remembered
        .entry(TypeId::of::<K>())
        .or_insert_with(|| Box::new(HashMap::<K, Option<V>>::new()))
        .downcast_mut::<HashMap<K, Option<V>>>()
        .expect("one memory type per key type");
    for key in keys {
        let row = loaded.get(&key).cloned();
        known.insert(key, row);
    }
}

/// `found` with the rows of the `missing` keys, loaded (in one statement) and remembered.
async fn load_rest<K, V>(
    loader: &SqlLoader,
    remembered: &Remembered,
    mut found: HashMap<K, V>,
    missing: Vec<K>,
) -> Loaded<K, V>
where
    K: Clone + Eq + Hash + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    SqlLoader: Loader<K, Value = V, Error = Arc<DbErr>>,
{
    if !missing.is_empty() {
        let rows = loader.load(&missing).await?;
        remember(remembered, missing, &rows);
        found.extend(rows);
    }
    Ok(Arc::new(found))
}
