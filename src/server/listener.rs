//! Accepting connections so that idle or slow clients cannot lock everyone else out.
//!
//! Three guards: at most `max_connections` connections at once (the next waits in the kernel's
//! backlog until one closes, instead of the process running out of file descriptors); a request
//! head (request line and headers) must arrive within `header_timeout` of its first byte, or
//! within `header_timeout` of connecting, so a client trickling a header byte by byte is cut
//! off; and, set on the poem server, a connection with no traffic for `idle_timeout` is closed.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use poem::http::uri::Scheme;
use poem::listener::{Acceptor, Listener};
use poem::web::{LocalAddr, RemoteAddr};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;

/// A TCP listener with the guards above.
pub struct GuardedListener {
    listener: TcpListener,
    max_connections: usize,
    header_timeout: Duration,
}

impl GuardedListener {
    /// Wraps a bound listener.
    pub fn new(listener: TcpListener, max_connections: usize, header_timeout: Duration) -> Self {
        GuardedListener {
            listener,
            max_connections,
            header_timeout,
        }
    }
}

impl Listener for GuardedListener {
    type Acceptor = GuardedAcceptor;

    async fn into_acceptor(self) -> io::Result<GuardedAcceptor> {
        let local_addr = LocalAddr(self.listener.local_addr()?.into());
        Ok(GuardedAcceptor {
            listener: self.listener,
            local_addr,
            permits: Arc::new(Semaphore::new(self.max_connections)),
            header_timeout: self.header_timeout,
        })
    }
}

/// Accepts connections while fewer than the maximum are open.
pub struct GuardedAcceptor {
    listener: TcpListener,
    local_addr: LocalAddr,
    permits: Arc<Semaphore>,
    header_timeout: Duration,
}

impl Acceptor for GuardedAcceptor {
    type Io = Guarded;

    fn local_addr(&self) -> Vec<LocalAddr> {
        vec![self.local_addr.clone()]
    }

    async fn accept(&mut self) -> io::Result<(Guarded, LocalAddr, RemoteAddr, Scheme)> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(io::Error::other)?;
        let (stream, remote) = self.listener.accept().await?;
        let guarded = Guarded {
            stream,
            _permit: permit,
            header_timeout: self.header_timeout,
            phase: Phase::Head(Box::pin(tokio::time::sleep(self.header_timeout))),
            matched: 0,
        };
        Ok((
            guarded,
            self.local_addr.clone(),
            RemoteAddr(remote.into()),
            Scheme::HTTP,
        ))
    }
}

/// The end of a request head.
const HEAD_END: &[u8; 4] = b"\r\n\r\n";

/// Where a connection is in its request/response cycle.
enum Phase {
    /// Reading a request head, which must be complete by the deadline.
    Head(Pin<Box<Sleep>>),
    /// Reading a body or answering: bounded by the body limit, the request timeout and the
    /// idle timeout.
    Request,
    /// A response went out; the next byte read starts a new head.
    BetweenRequests,
}

/// A connection that holds its slot while open and enforces the request-head deadline.
pub struct Guarded {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
    header_timeout: Duration,
    phase: Phase,
    /// How much of `HEAD_END` the bytes of the head read so far end with.
    matched: usize,
}

impl Guarded {
    /// Follows the bytes read: the first byte after a response arms the deadline, the end of
    /// the head disarms it.
    fn observe(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            match self.phase {
                Phase::Request => return,
                Phase::BetweenRequests => {
                    self.phase = Phase::Head(Box::pin(tokio::time::sleep(self.header_timeout)));
                    self.matched = 0;
                }
                Phase::Head(_) => {}
            }
            self.matched = if byte == HEAD_END[self.matched] {
                self.matched + 1
            } else if byte == b'\r' {
                1
            } else {
                0
            };
            if self.matched == HEAD_END.len() {
                self.phase = Phase::Request;
            }
        }
    }
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Phase::Head(deadline) = &mut this.phase
            && deadline.as_mut().poll(cx).is_ready()
        {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the request head did not arrive in time",
            )));
        }
        let filled = buf.filled().len();
        let poll = Pin::new(&mut this.stream).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &poll {
            let new = buf.filled()[filled..].to_vec();
            this.observe(&new);
        }
        poll
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // A response is going out: the wait for the next request is the idle timeout's.
        if let Phase::Request = this.phase {
            this.phase = Phase::BetweenRequests;
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
