// Name pools for synthetic people. Common given names and surnames of each group, chosen so that
// written forms look ordinary; no name here refers to a real case.

/** Filipino female given names. */
export const PH_FEMALE = [
  'Maria', 'Ana', 'Rosalie', 'Marites', 'Jocelyn', 'Lorna', 'Maricel', 'Jennifer', 'Mary Grace', 'Rowena',
  'Analyn', 'Cristina', 'Liza', 'Rhea', 'Janice', 'Lovely', 'Angelica', 'Kristine', 'Joy', 'Michelle',
  'Divina', 'Teresita', 'Gloria', 'Nenita', 'Evangeline', 'Marilou', 'Charmaine', 'Princess', 'Jessa', 'Shiela',
  'Aileen', 'Ma. Luisa', 'Rosario', 'Imelda', 'Erlinda', 'Leah', 'April', 'Camille', 'Danica', 'Hazel',
] as const;

/** Filipino male given names. */
export const PH_MALE = [
  'Jose', 'Juan', 'Mark', 'John Paul', 'Ronald', 'Rodel', 'Jerome', 'Christian', 'Michael', 'Reynaldo',
  'Romeo', 'Eduardo', 'Ramon', 'Danilo', 'Arnel', 'Rogelio', 'Jayson', 'Kevin', 'Jomar', 'Ariel',
  'Noel', 'Ricardo', 'Joel', 'Rommel', 'Jericho', 'Paolo', 'Carlo', 'Bryan', 'Jhon', 'Renato',
  'Emmanuel', 'Gilbert', 'Alvin', 'Dennis', 'Francis', 'Nestor', 'Edwin', 'Marvin', 'Ramil', 'Benjie',
] as const;

/** Filipino children's given names (victims). */
export const PH_CHILD = [
  'Angel', 'Princess', 'Jasmine', 'Althea', 'Mika', 'Janelle', 'Chloe', 'Sofia', 'Ella', 'Bea',
  'Gab', 'Jhun', 'Nico', 'Miguel', 'Enzo', 'Zian', 'Yuan', 'Kyle', 'Ethan', 'Josh',
] as const;

/** Filipino surnames. */
export const PH_SURNAMES = [
  'Dela Cruz', 'Santos', 'Reyes', 'Garcia', 'Mendoza', 'Bautista', 'Villanueva', 'Ramos', 'Aquino', 'Castillo',
  'Rivera', 'Flores', 'Gonzales', 'Torres', 'Lopez', 'Cruz', 'Navarro', 'Salazar', 'Mercado', 'Aguilar',
  'Pascual', 'Domingo', 'De Leon', 'Manalo', 'Soriano', 'Valdez', 'Tolentino', 'Dizon', 'Fernandez', 'Gutierrez',
  'Cabrera', 'Morales', 'Pangilinan', 'Macaraeg', 'Sison', 'Ocampo', 'Lim', 'Tan', 'Magbanua', 'Evangelista',
  'Rosales', 'Del Rosario', 'Javier', 'Manalastas', 'Quiambao', 'Lacson', 'Buenaventura', 'Ilagan', 'Gatchalian', 'Panganiban',
  'Cabanban', 'Baluyot', 'Abad', 'Belmonte', 'Capili', 'Dimaculangan', 'Espiritu', 'Fajardo', 'Galang', 'Hernandez',
] as const;

/** Given names of older men in the main payer countries (US, AU, UK, CA, DE, NL...). */
export const WESTERN_MALE = [
  'Robert', 'James', 'John', 'William', 'Richard', 'David', 'Thomas', 'Charles', 'Gary', 'Kenneth',
  'Steven', 'Paul', 'Dennis', 'Larry', 'Wayne', 'Gregory', 'Terry', 'Douglas', 'Roger', 'Keith',
  'Graham', 'Colin', 'Barry', 'Trevor', 'Neil', 'Brian', 'Peter', 'Hans', 'Klaus', 'Dirk',
] as const;

/** Surnames common in the main payer countries. */
export const WESTERN_SURNAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
  'Thomas', 'Moore', 'Martin', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Hall',
  'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Mitchell', 'Campbell', 'Roberts', 'Turner',
  'Schmidt', 'Mueller', 'de Vries', 'Jansen', 'MacDonald', 'O\'Brien', 'Kelly', 'Murphy', 'Hughes', 'Evans',
] as const;

/** Given names for Nigerian accounts. */
export const NG_GIVEN = ['Chinedu', 'Emeka', 'Tunde', 'Ibrahim', 'Samuel', 'Uche', 'Femi', 'Kelechi', 'Musa', 'Victor'] as const;
/** Surnames for Nigerian accounts. */
export const NG_SURNAMES = ['Okafor', 'Adeyemi', 'Bello', 'Eze', 'Okonkwo', 'Balogun', 'Nwosu', 'Ogunleye', 'Abubakar', 'Uzor'] as const;
/** Given names for Ivorian accounts. */
export const CI_GIVEN = ['Kouadio', 'Yao', 'Koffi', 'Serge', 'Ibrahima', 'Moussa', 'Didier', 'Arsene'] as const;
/** Surnames for Ivorian accounts. */
export const CI_SURNAMES = ['Kone', 'Traore', 'Ouattara', 'Coulibaly', 'Yao', 'Bamba', 'Diabate', 'Kouame'] as const;

/** Female display names sextortion offenders pose behind. */
export const LURE_NAMES = ['Angel Reyes', 'Bella Cruz', 'Jessica Tan', 'Mia Santos', 'Sofia Lim', 'Ashley Garcia', 'Chloe Rivera', 'Hannah Lee'] as const;

/** Words that handles are built from. */
export const HANDLE_WORDS = [
  'sweet', 'dark', 'lonely', 'kuya', 'pogi', 'ganda', 'baby', 'boss', 'idol', 'king', 'angel', 'shadow',
  'gamer', 'night', 'manila', 'cebu', 'davao', 'bisaya', 'tito', 'lodi', 'chill', 'vibes', 'sky', 'star',
] as const;

/** US/UK/AU schools for sextortion victims abroad, and PH schools for local ones. */
export const SCHOOLS = [
  'Quezon City Science High School', 'Rizal National High School', 'Cebu City National High School',
  'Davao City National High School', 'Lincoln High School', 'Westfield Middle School', 'St. Mary\'s College',
] as const;
