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

/// The request's loader.
pub struct Batcher {
    loader: Arc<SqlLoader>,
    waiting: Mutex<Waiting>,
}

impl Batcher {
    /// A batcher for one request: nothing is cached across requests.
    pub fn new(loader: SqlLoader) -> Self {
        Batcher {
            loader: Arc::new(loader),
            waiting: Mutex::new(Waiting::default()),
        }
    }

    /// The rows for `keys`, loaded in the next round with every other key of their type.
    pub async fn load_many<K, V>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<HashMap<K, V>, Arc<DbErr>>
    where
        K: Clone + Eq + Hash + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
        SqlLoader: Loader<K, Value = V, Error = Arc<DbErr>>,
    {
        let keys: Vec<K> = keys.into_iter().collect();
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let (sender, receiver) = oneshot::channel();
        {
            let mut waiting = self.waiting.lock().expect("batcher lock");
            let queue = waiting
                .queues
                .entry(TypeId::of::<K>())
                .or_insert_with(|| {
                    Box::new(Queue::<K, V> {
                        keys: HashSet::new(),
                        waiters: Vec::new(),
                    })
                })
                .downcast_mut::<Queue<K, V>>()
                .expect("one queue type per key type");
            let first = queue.waiters.is_empty();
            queue.keys.extend(keys.iter().cloned());
            queue.waiters.push(sender);
            if first {
                let loader = self.loader.clone();
                waiting.starts.push(Box::new(move |waiting: &mut Waiting| {
                    let queue = waiting
                        .queues
                        .remove(&TypeId::of::<K>())
                        .and_then(|q| q.downcast::<Queue<K, V>>().ok())
                        .expect("a queue for every start");
                    Box::pin(async move {
                        let keys: Vec<K> = queue.keys.into_iter().collect();
                        let loaded = loader.load(&keys).await.map(Arc::new);
                        for waiter in queue.waiters {
                            let _ = waiter.send(loaded.clone());
                        }
                    })
                }));
            }
        }
        let loaded = receiver
            .await
            .map_err(|_| Arc::new(DbErr::Custom("the request ended before its load".into())))??;
        Ok(keys
            .into_iter()
            .filter_map(|k| loaded.get(&k).map(|v| (k, v.clone())))
            .collect())
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
