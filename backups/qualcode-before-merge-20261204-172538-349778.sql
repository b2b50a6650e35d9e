--
-- PostgreSQL database dump
--

\restrict uOttcE7XQhdHt4pZsMXnwm9Sgq41ZXofB5GesLZ2R216HlKPzz16clJIkuy0bf9

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: qualcode_check_span_end(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.qualcode_check_span_end() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
      IF NEW."end" > (SELECT length FROM documents WHERE id = NEW.document_id) THEN
        RAISE EXCEPTION '% end beyond document length', TG_TABLE_NAME;
      END IF;
      RETURN NEW;
    END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: case_members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_members (
    case_id integer NOT NULL,
    document_id integer NOT NULL
);


--
-- Name: cases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.cases (
    id integer NOT NULL,
    name character varying(500) NOT NULL,
    description text
);


--
-- Name: cases_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.cases_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: cases_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.cases_id_seq OWNED BY public.cases.id;


--
-- Name: coders; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.coders (
    id integer NOT NULL,
    name character varying(200) NOT NULL,
    role character varying(20) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    guid character varying(40),
    CONSTRAINT ck_coder_role CHECK (((role)::text = ANY ((ARRAY['coder'::character varying, 'lead'::character varying])::text[])))
);


--
-- Name: coders_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.coders_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: coders_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.coders_id_seq OWNED BY public.coders.id;


--
-- Name: codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.codes (
    id integer NOT NULL,
    key character varying(100) NOT NULL,
    parent_id integer,
    level character varying(20) NOT NULL,
    name_en character varying(300) NOT NULL,
    name_zh character varying(300) NOT NULL,
    short_definition text,
    definition text,
    inclusion text,
    exclusion text,
    example_en text,
    example_zh text,
    color character varying(9),
    codable boolean NOT NULL,
    retired boolean NOT NULL,
    sort_order integer NOT NULL,
    guid character varying(40)
);


--
-- Name: codes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.codes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: codes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.codes_id_seq OWNED BY public.codes.id;


--
-- Name: document_attributes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.document_attributes (
    id integer NOT NULL,
    document_id integer NOT NULL,
    key character varying(200) NOT NULL,
    value text,
    type character varying(20) NOT NULL
);


--
-- Name: document_attributes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.document_attributes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: document_attributes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.document_attributes_id_seq OWNED BY public.document_attributes.id;


--
-- Name: document_status; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.document_status (
    document_id integer NOT NULL,
    coder_id integer NOT NULL,
    status character varying(20) NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: documents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.documents (
    id integer NOT NULL,
    name character varying(500) NOT NULL,
    text text NOT NULL,
    length integer NOT NULL,
    sha256 character varying(64) NOT NULL,
    source_filename character varying(1000),
    encoding character varying(50),
    language character varying(20),
    version_of integer,
    imported_at timestamp with time zone NOT NULL
);


--
-- Name: documents_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.documents_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: documents_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.documents_id_seq OWNED BY public.documents.id;


--
-- Name: events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.events (
    id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    actor character varying(200),
    action character varying(50) NOT NULL,
    entity character varying(50) NOT NULL,
    entity_id integer,
    before text,
    after text,
    undoes integer,
    group_id character varying(40),
    guid character varying(40)
);


--
-- Name: events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.events_id_seq OWNED BY public.events.id;


--
-- Name: memos; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.memos (
    id integer NOT NULL,
    target_type character varying(20) NOT NULL,
    target_id integer,
    coder_id integer,
    title character varying(300),
    text text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    guid character varying(40)
);


--
-- Name: memos_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.memos_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: memos_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.memos_id_seq OWNED BY public.memos.id;


--
-- Name: meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meta (
    key character varying(100) NOT NULL,
    value text NOT NULL
);


--
-- Name: questions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.questions (
    id integer NOT NULL,
    key character varying(100) NOT NULL,
    text_en text,
    text_zh text,
    "order" integer NOT NULL,
    code_key character varying(100)
);


--
-- Name: questions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.questions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: questions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.questions_id_seq OWNED BY public.questions.id;


--
-- Name: segments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.segments (
    id integer NOT NULL,
    document_id integer NOT NULL,
    coder_id integer NOT NULL,
    code_id integer NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    memo text,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    guid character varying(40),
    CONSTRAINT ck_segment_bounds CHECK (((start >= 0) AND (start < "end")))
);


--
-- Name: segments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.segments_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: segments_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.segments_id_seq OWNED BY public.segments.id;


--
-- Name: settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.settings (
    key character varying(100) NOT NULL,
    value text NOT NULL
);


--
-- Name: units; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.units (
    id integer NOT NULL,
    document_id integer NOT NULL,
    seq integer NOT NULL,
    kind character varying(20) NOT NULL,
    speaker character varying(200),
    speaker_role character varying(20),
    question_key character varying(100),
    question_confidence double precision,
    question_source character varying(20),
    start integer NOT NULL,
    "end" integer NOT NULL,
    t_start double precision,
    t_end double precision,
    CONSTRAINT ck_unit_bounds CHECK (((start >= 0) AND (start <= "end")))
);


--
-- Name: units_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.units_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: units_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.units_id_seq OWNED BY public.units.id;


--
-- Name: cases id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases ALTER COLUMN id SET DEFAULT nextval('public.cases_id_seq'::regclass);


--
-- Name: coders id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coders ALTER COLUMN id SET DEFAULT nextval('public.coders_id_seq'::regclass);


--
-- Name: codes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.codes ALTER COLUMN id SET DEFAULT nextval('public.codes_id_seq'::regclass);


--
-- Name: document_attributes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_attributes ALTER COLUMN id SET DEFAULT nextval('public.document_attributes_id_seq'::regclass);


--
-- Name: documents id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents ALTER COLUMN id SET DEFAULT nextval('public.documents_id_seq'::regclass);


--
-- Name: events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.events ALTER COLUMN id SET DEFAULT nextval('public.events_id_seq'::regclass);


--
-- Name: memos id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.memos ALTER COLUMN id SET DEFAULT nextval('public.memos_id_seq'::regclass);


--
-- Name: questions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.questions ALTER COLUMN id SET DEFAULT nextval('public.questions_id_seq'::regclass);


--
-- Name: segments id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.segments ALTER COLUMN id SET DEFAULT nextval('public.segments_id_seq'::regclass);


--
-- Name: units id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units ALTER COLUMN id SET DEFAULT nextval('public.units_id_seq'::regclass);


--
-- Data for Name: case_members; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.case_members (case_id, document_id) FROM stdin;
\.


--
-- Data for Name: cases; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.cases (id, name, description) FROM stdin;
\.


--
-- Data for Name: coders; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.coders (id, name, role, created_at, guid) FROM stdin;
1	alice	coder	2026-12-04 17:25:35.577406+00	61e2f009-ebde-484e-a534-4cffd769f61e
2	bob	coder	2026-12-04 17:25:35.619749+00	e6159672-52c3-4992-8daf-2b90b133b0ee
3	lead	lead	2026-12-04 17:25:35.643666+00	0ec4858d-d2e3-415c-97b7-0b8e7e5b62be
\.


--
-- Data for Name: codes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.codes (id, key, parent_id, level, name_en, name_zh, short_definition, definition, inclusion, exclusion, example_en, example_zh, color, codable, retired, sort_order, guid) FROM stdin;
1	TAL.CURR	\N	code	Tal.Curr		\N	definition of TAL.CURR	\N	\N	\N	\N	\N	t	f	0	b18e12a9-0198-407f-aad8-59952eb90fa8
2	TAL.TEACH	\N	code	Tal.Teach		\N	definition of TAL.TEACH	\N	\N	\N	\N	\N	t	f	0	bf106abc-4eb7-44a9-bcd5-b737dd01cb51
3	TEC.LAB	\N	code	Tec.Lab		\N	definition of TEC.LAB	\N	\N	\N	\N	\N	t	f	0	b4cb3a4c-ef38-478a-9b18-2bd174d44c59
4	ADM.FUND	\N	code	Adm.Fund		\N	definition of ADM.FUND	\N	\N	\N	\N	\N	t	f	0	74f332db-283c-4498-96a9-f4964792a042
5	GOV.COORD	\N	code	Gov.Coord		\N	definition of GOV.COORD	\N	\N	\N	\N	\N	t	f	0	fb942840-0114-4491-afa0-b3dc5a5db8a7
\.


--
-- Data for Name: document_attributes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.document_attributes (id, document_id, key, value, type) FROM stdin;
\.


--
-- Data for Name: document_status; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.document_status (document_id, coder_id, status, updated_at) FROM stdin;
1	1	in_progress	2026-12-04 17:25:35.744017+00
2	1	in_progress	2026-12-04 17:25:35.807717+00
\.


--
-- Data for Name: documents; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.documents (id, name, text, length, sha256, source_filename, encoding, language, version_of, imported_at) FROM stdin;
1	interview-01	问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n	780	25507be15dbf68da4d3e6d6f832e1410dae8166c630570d71f670fa97086702f	\N	\N	\N	\N	2026-12-04 17:25:35.488406+00
2	interview-02	Q: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\nQ: How does the consortium share technology?\nA: Joint labs and patents with firms.\n	1660	33e25f17e5cdf76bb0d813da85e09f875c40c4342ad80b17beb1b5661518e560	\N	\N	\N	\N	2026-12-04 17:25:35.488637+00
3	interview-03	问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n	660	3c100de1331db32b0ed6a332701e539d6d3a9c9d500c6d6d753dd11537da3d64	\N	\N	\N	\N	2026-12-04 17:25:35.488749+00
\.


--
-- Data for Name: events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.events (id, at, actor, action, entity, entity_id, before, after, undoes, group_id, guid) FROM stdin;
1	2026-12-04 17:25:35.579138+00	\N	create	coder	1	\N	{"created_at": "2026-12-04T17:25:35.577406+00:00", "guid": "61e2f009-ebde-484e-a534-4cffd769f61e", "id": 1, "name": "alice", "role": "coder"}	\N	\N	c3b3abd9-9f0a-4123-bb9b-51e9e85a897b
2	2026-12-04 17:25:35.629691+00	\N	create	coder	2	\N	{"created_at": "2026-12-04T17:25:35.619749+00:00", "guid": "e6159672-52c3-4992-8daf-2b90b133b0ee", "id": 2, "name": "bob", "role": "coder"}	\N	\N	4210fa18-daa7-48a6-990d-b1dcae6d190f
3	2026-12-04 17:25:35.651755+00	\N	create	coder	3	\N	{"created_at": "2026-12-04T17:25:35.643666+00:00", "guid": "0ec4858d-d2e3-415c-97b7-0b8e7e5b62be", "id": 3, "name": "lead", "role": "lead"}	\N	\N	3771e5ff-7f6d-40e8-a701-e5e61798624b
4	2026-12-04 17:25:35.750359+00	alice	segment.add	segment	1	\N	{"code_id": 1, "coder_id": 1, "created_at": "2026-12-04T17:25:35.711740+00:00", "document_id": 1, "end": 10, "guid": "4c111d69-52d5-46de-8878-d6a66607589d", "id": 1, "memo": null, "start": 0, "updated_at": "2026-12-04T17:25:35.711761+00:00"}	\N	\N	b24a498b-4d6b-4b2b-83a4-8628bfbf21d4
5	2026-12-04 17:25:35.813344+00	alice	segment.add	segment	2	\N	{"code_id": 3, "coder_id": 1, "created_at": "2026-12-04T17:25:35.797217+00:00", "document_id": 2, "end": 30, "guid": "4c03e0d7-3e10-4e27-b184-998e5082c1a1", "id": 2, "memo": null, "start": 5, "updated_at": "2026-12-04T17:25:35.797238+00:00"}	\N	\N	553c0df6-ed94-48b2-81c7-f7b86adacc58
\.


--
-- Data for Name: memos; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.memos (id, target_type, target_id, coder_id, title, text, created_at, updated_at, guid) FROM stdin;
\.


--
-- Data for Name: meta; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meta (key, value) FROM stdin;
schema_version	3
\.


--
-- Data for Name: questions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.questions (id, key, text_en, text_zh, "order", code_key) FROM stdin;
\.


--
-- Data for Name: segments; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.segments (id, document_id, coder_id, code_id, start, "end", memo, created_at, updated_at, guid) FROM stdin;
1	1	1	1	0	10	\N	2026-12-04 17:25:35.71174+00	2026-12-04 17:25:35.711761+00	4c111d69-52d5-46de-8878-d6a66607589d
2	2	1	3	5	30	\N	2026-12-04 17:25:35.797217+00	2026-12-04 17:25:35.797238+00	4c03e0d7-3e10-4e27-b184-998e5082c1a1
\.


--
-- Data for Name: settings; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.settings (key, value) FROM stdin;
\.


--
-- Data for Name: units; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.units (id, document_id, seq, kind, speaker, speaker_role, question_key, question_confidence, question_source, start, "end", t_start, t_end) FROM stdin;
\.


--
-- Name: cases_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.cases_id_seq', 1, false);


--
-- Name: coders_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.coders_id_seq', 3, true);


--
-- Name: codes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.codes_id_seq', 5, true);


--
-- Name: document_attributes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.document_attributes_id_seq', 1, false);


--
-- Name: documents_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.documents_id_seq', 3, true);


--
-- Name: events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.events_id_seq', 18, true);


--
-- Name: memos_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.memos_id_seq', 1, true);


--
-- Name: questions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.questions_id_seq', 1, false);


--
-- Name: segments_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.segments_id_seq', 8, true);


--
-- Name: units_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.units_id_seq', 1, false);


--
-- Name: case_members case_members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_members
    ADD CONSTRAINT case_members_pkey PRIMARY KEY (case_id, document_id);


--
-- Name: cases cases_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_name_key UNIQUE (name);


--
-- Name: cases cases_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_pkey PRIMARY KEY (id);


--
-- Name: coders coders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coders
    ADD CONSTRAINT coders_pkey PRIMARY KEY (id);


--
-- Name: codes codes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.codes
    ADD CONSTRAINT codes_pkey PRIMARY KEY (id);


--
-- Name: document_attributes document_attributes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_attributes
    ADD CONSTRAINT document_attributes_pkey PRIMARY KEY (id);


--
-- Name: document_status document_status_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_status
    ADD CONSTRAINT document_status_pkey PRIMARY KEY (document_id, coder_id);


--
-- Name: documents documents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents
    ADD CONSTRAINT documents_pkey PRIMARY KEY (id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);


--
-- Name: memos memos_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.memos
    ADD CONSTRAINT memos_pkey PRIMARY KEY (id);


--
-- Name: meta meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (key);


--
-- Name: questions questions_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.questions
    ADD CONSTRAINT questions_key_key UNIQUE (key);


--
-- Name: questions questions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.questions
    ADD CONSTRAINT questions_pkey PRIMARY KEY (id);


--
-- Name: segments segments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.segments
    ADD CONSTRAINT segments_pkey PRIMARY KEY (id);


--
-- Name: settings settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (key);


--
-- Name: units units_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT units_pkey PRIMARY KEY (id);


--
-- Name: document_attributes uq_docattr_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_attributes
    ADD CONSTRAINT uq_docattr_key UNIQUE (document_id, key);


--
-- Name: segments uq_segment; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.segments
    ADD CONSTRAINT uq_segment UNIQUE (document_id, coder_id, code_id, start, "end");


--
-- Name: units uq_unit_seq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT uq_unit_seq UNIQUE (document_id, seq);


--
-- Name: ix_coders_guid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_coders_guid ON public.coders USING btree (guid);


--
-- Name: ix_coders_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_coders_name ON public.coders USING btree (name);


--
-- Name: ix_codes_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_codes_key ON public.codes USING btree (key);


--
-- Name: ix_document_attributes_document_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_document_attributes_document_id ON public.document_attributes USING btree (document_id);


--
-- Name: ix_documents_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_documents_name ON public.documents USING btree (name);


--
-- Name: ix_documents_sha256; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_documents_sha256 ON public.documents USING btree (sha256);


--
-- Name: ix_events_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_events_at ON public.events USING btree (at);


--
-- Name: ix_events_guid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_events_guid ON public.events USING btree (guid);


--
-- Name: ix_memos_guid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_memos_guid ON public.memos USING btree (guid);


--
-- Name: ix_segment_doc_coder; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_segment_doc_coder ON public.segments USING btree (document_id, coder_id);


--
-- Name: ix_segments_code_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_segments_code_id ON public.segments USING btree (code_id);


--
-- Name: ix_segments_coder_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_segments_coder_id ON public.segments USING btree (coder_id);


--
-- Name: ix_segments_document_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_segments_document_id ON public.segments USING btree (document_id);


--
-- Name: ix_segments_guid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_segments_guid ON public.segments USING btree (guid);


--
-- Name: ix_units_document_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_units_document_id ON public.units USING btree (document_id);


--
-- Name: segments segment_end_in_document; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER segment_end_in_document BEFORE INSERT OR UPDATE ON public.segments FOR EACH ROW EXECUTE FUNCTION public.qualcode_check_span_end();


--
-- Name: units unit_end_in_document; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER unit_end_in_document BEFORE INSERT OR UPDATE ON public.units FOR EACH ROW EXECUTE FUNCTION public.qualcode_check_span_end();


--
-- Name: case_members case_members_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_members
    ADD CONSTRAINT case_members_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id) ON DELETE CASCADE;


--
-- Name: case_members case_members_document_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_members
    ADD CONSTRAINT case_members_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.documents(id) ON DELETE CASCADE;


--
-- Name: codes codes_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.codes
    ADD CONSTRAINT codes_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.codes(id);


--
-- Name: document_attributes document_attributes_document_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_attributes
    ADD CONSTRAINT document_attributes_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.documents(id) ON DELETE CASCADE;


--
-- Name: document_status document_status_coder_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_status
    ADD CONSTRAINT document_status_coder_id_fkey FOREIGN KEY (coder_id) REFERENCES public.coders(id);


--
-- Name: document_status document_status_document_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_status
    ADD CONSTRAINT document_status_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.documents(id) ON DELETE CASCADE;


--
-- Name: documents documents_version_of_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents
    ADD CONSTRAINT documents_version_of_fkey FOREIGN KEY (version_of) REFERENCES public.documents(id);


--
-- Name: memos memos_coder_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.memos
    ADD CONSTRAINT memos_coder_id_fkey FOREIGN KEY (coder_id) REFERENCES public.coders(id);


--
-- Name: segments segments_code_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.segments
    ADD CONSTRAINT segments_code_id_fkey FOREIGN KEY (code_id) REFERENCES public.codes(id);


--
-- Name: segments segments_coder_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.segments
    ADD CONSTRAINT segments_coder_id_fkey FOREIGN KEY (coder_id) REFERENCES public.coders(id);


--
-- Name: segments segments_document_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.segments
    ADD CONSTRAINT segments_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.documents(id);


--
-- Name: units units_document_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT units_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.documents(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict uOttcE7XQhdHt4pZsMXnwm9Sgq41ZXofB5GesLZ2R216HlKPzz16clJIkuy0bf9

