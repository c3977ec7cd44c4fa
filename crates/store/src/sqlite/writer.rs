//! The one writer thread. It owns the write connection and commits in groups: whatever is
//! queued runs in one transaction, each write in its own savepoint (or none, for a write
//! that checks its rules by reading first), then one COMMIT (one fsync) acknowledges them
//! all. Durable writes then cost a fraction of an fsync each.

use super::db_err;
use crate::{StoreError, StoreResult};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::oneshot;

/// Most writes in one transaction, so one batch cannot hold the lock for long.
const MAX_BATCH: usize = 256;
/// Quiet time after which the writer checkpoints the WAL.
const IDLE_CHECKPOINT: Duration = Duration::from_millis(500);
/// Under constant load, checkpoint every this many batches all the same.
const CHECKPOINT_EVERY: usize = 1000;

/// Called once the batch's fate is known: `Ok` if it committed, else why not.
type Reply = Box<dyn FnOnce(Result<(), &str>) + Send>;

/// A queued write. Given the batch's transaction, it runs and returns its reply and
/// whether the transaction is still sound; given an error, it answers with it at once.
type Op = Box<dyn FnOnce(Result<&Transaction<'_>, &str>) -> Prepared + Send>;

struct Prepared {
    reply: Reply,
    /// False if the savepoint could not be closed: the whole batch must roll back.
    clean: bool,
}

/// Handle on the writer thread; dropping it lets the thread finish and waits for it.
pub(super) struct Writer {
    sender: Option<mpsc::Sender<Op>>,
    thread: Option<JoinHandle<()>>,
    /// Transactions run so far (a write count far above it shows the grouping works).
    batches: Arc<AtomicU64>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("running", &self.sender.is_some())
            .finish()
    }
}

impl Writer {
    /// Starts the thread; `checkpoint` for WAL databases (files).
    pub(super) fn spawn(conn: Connection, checkpoint: bool) -> StoreResult<Writer> {
        let (sender, receiver) = mpsc::channel();
        let batches = Arc::new(AtomicU64::new(0));
        let counter = batches.clone();
        let thread = std::thread::Builder::new()
            .name("amplifybackend-sqlite-writer".to_owned())
            .spawn(move || run(conn, &receiver, checkpoint, &counter))
            .map_err(|e| StoreError::Database(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer {
            sender: Some(sender),
            thread: Some(thread),
            batches,
        })
    }

    /// Whether the thread is still taking writes.
    pub(super) fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// How many transactions the writer has run.
    pub(super) fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }

    /// Runs `f` in the next batch and returns its result once the batch has committed.
    /// If `f` fails, its own changes are rolled back and the others' still commit.
    pub(super) async fn write<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        self.queue(Guard::Savepoint, f).await
    }

    /// As [`Writer::write`] for an `f` that reads whatever could make it fail before it
    /// writes anything, so that an error from it means nothing was written: it runs
    /// without a savepoint of its own, which spares the batch a copy of every page it
    /// changes into a sub-journal. Should it fail having written all the same (the
    /// database failed, a panic), the whole batch rolls back and every write in it fails.
    pub(super) async fn write_reads_first<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        self.queue(Guard::ReadsFirst, f).await
    }

    async fn queue<R, F>(&self, guard: Guard, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<StoreResult<R>>();
        let op: Op = Box::new(move |txn: Result<&Transaction<'_>, &str>| {
            let txn = match txn {
                Ok(txn) => txn,
                Err(why) => {
                    let _ = tx.send(Err(StoreError::Database(why.to_owned())));
                    return Prepared {
                        reply: Box::new(|_| {}),
                        clean: true,
                    };
                }
            };
            let (result, clean) = guard.run(txn, f);
            let reply: Reply = Box::new(move |commit: Result<(), &str>| {
                let answer = match commit {
                    Ok(()) => result,
                    Err(why) => Err(StoreError::Database(why.to_owned())),
                };
                let _ = tx.send(answer);
            });
            Prepared { reply, clean }
        });
        let sender = self.sender.as_ref().ok_or_else(stopped)?;
        sender.send(op).map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        drop(self.sender.take());
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the SQLite writer thread panicked");
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Database("the SQLite writer has stopped".to_owned())
}

/// What keeps a failing write from spoiling the others of its batch.
#[derive(Debug, Clone, Copy)]
enum Guard {
    /// A savepoint of its own, rolled back if it fails.
    Savepoint,
    /// Nothing: it fails only before it writes ([`Writer::write_reads_first`]).
    ReadsFirst,
}

impl Guard {
    /// Runs `f` in the batch's transaction: its result, and whether the transaction is
    /// still sound.
    fn run<R>(
        self,
        conn: &Connection,
        f: impl FnOnce(&Connection) -> StoreResult<R>,
    ) -> (StoreResult<R>, bool) {
        let caught = |conn: &Connection| {
            catch_unwind(AssertUnwindSafe(|| f(conn))).unwrap_or_else(|_| {
                tracing::error!("a store write panicked; its changes are rolled back");
                Err(StoreError::Database("the write panicked".to_owned()))
            })
        };
        match self {
            Guard::Savepoint => match savepoint(conn, Savepoint::Request, caught) {
                Ok(result) => (result, true),
                Err(e) => (Err(db_err(e)), false),
            },
            Guard::ReadsFirst => {
                let before = conn.total_changes();
                let result = caught(conn);
                // Some failures (a full disk, an I/O error) make SQLite roll back the whole
                // transaction by itself: the rest of the batch must not run without one.
                let clean =
                    !conn.is_autocommit() && (result.is_ok() || conn.total_changes() == before);
                if !clean {
                    tracing::error!("a store write failed after writing; its batch rolls back");
                }
                (result, clean)
            }
        }
    }
}

/// Where a write nests its changes; each level has its own fixed name so that the three
/// statements of each are compiled once and then taken from the statement cache.
#[derive(Debug, Clone, Copy)]
pub(super) enum Savepoint {
    /// One request's write within the batch's transaction.
    Request,
    /// A job's completion (changes plus status), within a request.
    Finish,
    /// A job's changes, all or none.
    Changes,
}

impl Savepoint {
    /// `SAVEPOINT`, `RELEASE` and `ROLLBACK TO` for this level.
    fn sql(self) -> [&'static str; 3] {
        match self {
            Savepoint::Request => [
                "SAVEPOINT request",
                "RELEASE request",
                "ROLLBACK TO request",
            ],
            Savepoint::Finish => ["SAVEPOINT finish", "RELEASE finish", "ROLLBACK TO finish"],
            Savepoint::Changes => [
                "SAVEPOINT changes",
                "RELEASE changes",
                "ROLLBACK TO changes",
            ],
        }
    }
}

/// Runs `f` inside the savepoint `level`: kept if it returns `Ok`, rolled back if `Err`.
/// The outer error means the savepoint itself failed and the transaction is unsound.
pub(super) fn savepoint<R, E>(
    conn: &Connection,
    level: Savepoint,
    f: impl FnOnce(&Connection) -> Result<R, E>,
) -> Result<Result<R, E>, rusqlite::Error> {
    let [begin, release, rollback] = level.sql();
    let run = |sql: &str| conn.prepare_cached(sql)?.execute([]).map(drop);
    run(begin)?;
    let result = f(conn);
    if result.is_err() {
        run(rollback)?;
    }
    run(release)?;
    Ok(result)
}

/// Undoes everything done since `level` began, which stays open (`ROLLBACK TO`).
pub(super) fn roll_back_to(conn: &Connection, level: Savepoint) -> rusqlite::Result<()> {
    let [_, _, rollback] = level.sql();
    conn.prepare_cached(rollback)?.execute([]).map(drop)
}

/// The writer thread's loop: one batch, one transaction, one commit at a time, until every
/// [`Writer`] handle is gone.
fn run(mut conn: Connection, receiver: &mpsc::Receiver<Op>, checkpoint: bool, batches: &AtomicU64) {
    let mut batches_since_checkpoint = 0usize;
    loop {
        // Wait for the first write of the next batch: blocking here is the writer's idle
        // state. With batches committed since the last checkpoint, wait at most
        // IDLE_CHECKPOINT: a quiet spell is when checkpointing the WAL delays no request.
        let first = if checkpoint && batches_since_checkpoint > 0 {
            match receiver.recv_timeout(IDLE_CHECKPOINT) {
                Ok(op) => op,
                Err(RecvTimeoutError::Timeout) => {
                    checkpoint_wal(&conn);
                    batches_since_checkpoint = 0;
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match receiver.recv() {
                Ok(op) => op,
                Err(_) => break,
            }
        };
        // Take whatever else has queued, without waiting for more: the writes that arrived
        // while the last batch committed share this batch's commit. Waiting would only add
        // latency when idle; under load the queue fills by itself during each commit.
        let mut batch = Vec::with_capacity(16);
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(op) => batch.push(op),
                Err(_) => break,
            }
        }
        // One transaction and one commit (one fsync) for the batch. Each write is answered
        // only once the commit is done, so an acknowledged write is durable.
        run_batch(&mut conn, batch);
        batches.fetch_add(1, Ordering::Relaxed);
        batches_since_checkpoint += 1;
        // Constant load leaves no quiet spell: checkpoint every CHECKPOINT_EVERY batches
        // all the same, so that the WAL does not grow without end.
        if checkpoint && batches_since_checkpoint >= CHECKPOINT_EVERY {
            checkpoint_wal(&conn);
            batches_since_checkpoint = 0;
        }
    }
    // Every handle is gone (the store was dropped): leave a short WAL to the next open.
    if checkpoint && batches_since_checkpoint > 0 {
        checkpoint_wal(&conn);
    }
}

/// Runs `batch` in one transaction and answers every write of it.
fn run_batch(conn: &mut Connection, batch: Vec<Op>) {
    // `BEGIN IMMEDIATE` takes the database's write lock now (waiting up to the busy timeout
    // for another process that holds it), so no write of the batch can fail for it later.
    let txn = match Transaction::new(conn, TransactionBehavior::Immediate) {
        Ok(txn) => txn,
        Err(e) => {
            let why = format!("cannot begin a transaction: {e}");
            tracing::error!("{why}");
            for op in batch {
                let _ = op(Err(&why));
            }
            return;
        }
    };
    // Each write in turn, in the order they queued. One that leaves the transaction unsound
    // (a savepoint that cannot close, a write without one that failed having written)
    // ends the batch: the writes after it are told at once, and nothing is committed.
    let mut replies = Vec::with_capacity(batch.len());
    let mut clean = true;
    for op in batch {
        if clean {
            let prepared = op(Ok(&txn));
            clean = prepared.clean;
            replies.push(prepared.reply);
        } else {
            let _ = op(Err("the batch's transaction failed; nothing was written"));
        }
    }
    let outcome = if clean {
        txn.commit().map_err(|e| format!("commit failed: {e}"))
    } else {
        drop(txn); // rolls back
        Err("the batch's transaction failed; nothing was written".to_owned())
    };
    if let Err(why) = &outcome {
        tracing::error!("{why}");
    }
    // Only now, with the batch's fate known, does any write of it get its answer.
    for reply in replies {
        reply(outcome.as_ref().map(|_| ()).map_err(String::as_str));
    }
}

fn checkpoint_wal(conn: &Connection) {
    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
        tracing::warn!("WAL checkpoint failed: {e}");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use rusqlite::OpenFlags;
    use std::sync::Arc;

    fn writer() -> Writer {
        let name = format!("file:/writer-test-{:016x}?vfs=memdb", rand::random::<u64>());
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(name, flags).unwrap();
        conn.execute_batch("CREATE TABLE t (v INTEGER PRIMARY KEY)")
            .unwrap();
        Writer::spawn(conn, false).unwrap()
    }

    async fn count(w: &Writer) -> i64 {
        w.write(|c| {
            c.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
                .map_err(db_err)
        })
        .await
        .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_writes_share_transactions() {
        let w = Arc::new(writer());
        // Hold the writer busy so that the others queue up behind it.
        let slow = w.write(|_| {
            std::thread::sleep(Duration::from_millis(100));
            Ok(())
        });
        let tasks: Vec<_> = (0..300)
            .map(|i| {
                let w = w.clone();
                tokio::spawn(async move {
                    w.write(move |c| {
                        c.execute("INSERT INTO t (v) VALUES (?1)", [i])
                            .map_err(db_err)
                    })
                    .await
                })
            })
            .collect();
        slow.await.unwrap();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap(), 1);
        }
        assert_eq!(count(&w).await, 300);
        assert!(
            w.batches() < 50,
            "300 writes took {} transactions",
            w.batches()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_failing_write_rolls_back_alone() {
        let w = Arc::new(writer());
        let gate = w.write(|_| {
            std::thread::sleep(Duration::from_millis(50));
            Ok(())
        });
        let spawn = |v: i64, fail: bool, panic: bool| {
            let w = w.clone();
            tokio::spawn(async move {
                w.write(move |c| {
                    c.execute("INSERT INTO t (v) VALUES (?1)", [v])
                        .map_err(db_err)?;
                    assert!(!panic, "a write that panics");
                    if fail {
                        Err(StoreError::NotFound("no"))
                    } else {
                        Ok(())
                    }
                })
                .await
            })
        };
        let (a, bad, b, boom) = (
            spawn(1, false, false),
            spawn(2, true, false),
            spawn(3, false, false),
            spawn(4, false, true),
        );
        gate.await.unwrap();
        assert!(a.await.unwrap().is_ok());
        assert!(matches!(bad.await.unwrap(), Err(StoreError::NotFound(_))));
        assert!(b.await.unwrap().is_ok());
        assert!(matches!(boom.await.unwrap(), Err(StoreError::Database(_))));
        let dup = spawn(1, false, false).await.unwrap();
        assert!(matches!(dup, Err(StoreError::Database(_))), "primary key");
        let kept: Vec<i64> = w
            .write(|c| {
                let mut s = c.prepare("SELECT v FROM t ORDER BY v").map_err(db_err)?;
                s.query_map([], |r| r.get(0))
                    .and_then(Iterator::collect)
                    .map_err(db_err)
            })
            .await
            .unwrap();
        assert_eq!(kept, [1, 3]);
    }

    /// Without a savepoint, a write that fails having written nothing leaves the batch
    /// alone; one that fails having written, or that lost the transaction, takes the
    /// whole batch back with it, and every write in it is told so.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_write_without_savepoint_that_fails_after_writing_rolls_back_its_batch() {
        let w = Arc::new(writer());
        let batch = async |values: [(i64, bool, bool); 3]| {
            // The gate holds the writer while the three queue: they go in the next batch.
            let (started, running) = tokio::sync::oneshot::channel();
            let gate = {
                let w = w.clone();
                tokio::spawn(async move {
                    w.write(move |_| {
                        let _ = started.send(());
                        std::thread::sleep(Duration::from_millis(50));
                        Ok(())
                    })
                    .await
                })
            };
            running.await.unwrap();
            let tasks = values.map(|(v, write, fail)| {
                let w = w.clone();
                tokio::spawn(async move {
                    w.write_reads_first(move |c| {
                        if v == 0 {
                            c.execute_batch("ROLLBACK").map_err(db_err)?;
                        }
                        if write {
                            c.execute("INSERT INTO t (v) VALUES (?1)", [v])
                                .map_err(db_err)?;
                        }
                        if fail {
                            Err(StoreError::NotFound("no"))
                        } else {
                            Ok(())
                        }
                    })
                    .await
                })
            });
            (gate, tasks)
        };

        let (gate, [a, refused, b]) =
            batch([(1, true, false), (2, false, true), (3, true, false)]).await;
        gate.await.unwrap().unwrap();
        assert!(a.await.unwrap().is_ok());
        assert!(matches!(
            refused.await.unwrap(),
            Err(StoreError::NotFound(_))
        ));
        assert!(b.await.unwrap().is_ok());

        let (gate, [c, spoiler, d]) =
            batch([(4, true, false), (5, true, true), (6, true, false)]).await;
        gate.await.unwrap().unwrap();
        for task in [c, spoiler, d] {
            assert!(matches!(task.await.unwrap(), Err(StoreError::Database(_))));
        }
        assert_eq!(count(&w).await, 2, "1 and 3 only");

        // A write that lost the batch's transaction (as SQLite does on a full disk) ends
        // the batch too, even having changed nothing: what followed would commit alone.
        let (gate, [e, lost, f]) =
            batch([(7, true, false), (0, false, false), (8, true, false)]).await;
        gate.await.unwrap().unwrap();
        assert!(matches!(e.await.unwrap(), Err(StoreError::Database(_))));
        assert!(lost.await.unwrap().is_err());
        assert!(matches!(f.await.unwrap(), Err(StoreError::Database(_))));
        assert_eq!(count(&w).await, 2, "neither 7 nor 8");
        assert_eq!(count(&w).await, 2, "1 and 3 only");
    }
}
