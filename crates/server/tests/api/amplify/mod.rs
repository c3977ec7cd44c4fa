//! The Amplify service's operations on the real server, over HTTP as rest-json clients
//! send them: every request signed with SigV4 (signing name `amplify` unless a test says
//! otherwise), every answer checked as the JSON on the wire.

mod apps;
mod cross_service;
mod environments;
mod postgres;
mod signing;
mod tags;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use serde_json::Value;
use std::net::SocketAddr;
use std::time::SystemTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One answer: status, `X-Amzn-ErrorType` and the body as JSON (`Null` if it is not).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub error_type: Option<String>,
    pub content_type: Option<String>,
    pub body: Value,
}

impl Reply {
    /// Insists on a 200 and answers the body.
    pub fn ok(self) -> Value {
        assert_eq!(self.status, 200, "{self:?}");
        self.body
    }

    /// Insists on `status` with the error `error_type` and answers the message.
    pub fn error(self, status: u16, error_type: &str) -> String {
        assert_eq!(
            (self.status, self.error_type.as_deref()),
            (status, Some(error_type)),
            "{self:?}"
        );
        assert_eq!(self.content_type.as_deref(), Some("application/json"));
        self.body["message"].as_str().unwrap_or_default().to_owned()
    }
}

/// A caller of the Amplify service: who signs, where, and for which service name.
#[derive(Debug, Clone)]
pub struct Amplify {
    pub addr: SocketAddr,
    pub key: String,
    pub secret: String,
    pub region: String,
    pub service: String,
}

impl Amplify {
    /// The default account (`AKIDEXAMPLE`) in `us-east-1`, as the AmplifyBackend SDK client
    /// of the tests signs.
    pub fn new(addr: SocketAddr) -> Amplify {
        Amplify {
            addr,
            key: "AKIDEXAMPLE".into(),
            secret: "secret".into(),
            region: crate::common::REGION.into(),
            service: "amplify".into(),
        }
    }

    /// The same caller in another region.
    pub fn in_region(&self, region: &str) -> Amplify {
        Amplify {
            region: region.into(),
            ..self.clone()
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call("POST", path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.call("DELETE", path, None).await
    }

    /// One signed request (`path` with its query string), over its own connection.
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let body = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        let host = self.addr.to_string();
        let url = format!("http://{host}{path}");
        let mut headers = vec![("host".to_owned(), host.clone())];
        if method != "GET" {
            headers.push(("content-type".into(), "application/json".into()));
        }
        let identity = Credentials::new(&self.key, &self.secret, None, None, "test").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.service)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let signable = SignableRequest::new(
            method,
            url.as_str(),
            headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            SignableBody::Bytes(&body),
        )
        .unwrap();
        let (instructions, _) = sign(signable, &params).unwrap().into_parts();
        for (name, value) in instructions.headers() {
            headers.push((name.to_owned(), value.to_owned()));
        }
        let mut text = format!("{method} {path} HTTP/1.1\r\n");
        for (name, value) in &headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        ));
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        stream.write_all(text.as_bytes()).await.unwrap();
        stream.write_all(&body).await.unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let (head, rest) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        Reply {
            status,
            error_type: header("x-amzn-errortype"),
            content_type: header("content-type"),
            body: serde_json::from_str(rest).unwrap_or(Value::Null),
        }
    }
}

/// `resourceArn` as a URI path segment.
pub fn encode_segment(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// CreateApp with `body`; answers the app.
pub async fn create_app(amplify: &Amplify, body: Value) -> Value {
    let reply = amplify.post("/apps", body).await.ok();
    reply["app"].clone()
}
